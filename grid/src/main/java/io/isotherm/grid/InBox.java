package io.isotherm.grid;

/**
 * Where inside its element's box a click landed, as the counts keep it: a bin of {@code bins × bins} (the click
 * target's anchors) and, within the bin, an offset in sixteenths of the bin each way (its moments, V15). With 16 bins
 * that is 1/256 of the box: within 2 px on a 500 px box.
 */
public final class InBox {
    /** Offsets per bin each way. */
    public static final int STEPS = 16;
    /** Sums kept per bin in the moments: clicks, Σ offset x, Σ offset y, Σ offset x², Σ offset y². */
    public static final int MOMENTS = 5;

    private InBox() {
    }

    /** The fine position of a fraction of the box (0..1), in sixteenths of a bin: bin = fine / STEPS. */
    public static int fine(float fraction, int bins) {
        int steps = bins * STEPS;
        return Math.min(Math.max((int) (fraction * steps), 0), steps - 1);
    }

    /**
     * A bin's clicks with moments, summed over any number of rows: drawn as four equal parts at their mean ± √2 · their
     * spread along x and along y, which has the clicks' mean and variance each way.
     */
    public record Spot(double x, double y, double dx, double dy) {
        /**
         * @param bin    the bin's index, {@code by · bins + bx}
         * @param sums   the bin's five sums ({@link #MOMENTS}), clicks first (not 0)
         * @return fractions of the box: the mean, and the distance of the four parts from it
         */
        public static Spot of(int bin, int bins, long[] sums, int at) {
            double n = sums[at];
            double mx = sums[at + 1] / n, my = sums[at + 2] / n;
            // Σo²/n − mean², never below 0 (rounding).
            double vx = Math.max(sums[at + 3] / n - mx * mx, 0), vy = Math.max(sums[at + 4] / n - my * my, 0);
            double steps = (double) bins * STEPS;
            return new Spot(((bin % bins) * STEPS + mx + 0.5) / steps, ((bin / bins) * STEPS + my + 0.5) / steps,
                    Math.sqrt(2 * vx) / steps, Math.sqrt(2 * vy) / steps);
        }
    }
}
