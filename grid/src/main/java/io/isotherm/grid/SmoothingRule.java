package io.isotherm.grid;

/**
 * The default smoothing radius (the Gaussian's σ) of a heatmap, from its amount of data: sparse pages smoother, busy
 * pages sharper.
 *
 * <p>It is a rule of thumb for a kernel density estimate in two dimensions (Silverman's and Scott's rules):
 * σ = s·n^(−1/6), with n the number of events and s their spread. The spread is taken as that of events strewn evenly
 * over the page, √(area / 12) (the standard deviation of a uniform distribution, per axis, averaged geometrically),
 * divided by 8 because clicks gather on a few elements rather than strewn evenly: a 1440 × 3000 px page with 1,000
 * clicks gets 24 px, with 100 clicks 35 px, with 100,000 clicks 11 px. The result is kept to whole px within
 * {@value #MIN_PX} to {@value #MAX_PX}: finer than a button's half height draws every click as its own dot, wider
 * blurs neighbouring elements together.
 */
public final class SmoothingRule {
    public static final int MIN_PX = 8;
    public static final int MAX_PX = 48;
    /** Clicks cluster on elements: their spread is this much smaller than that of evenly strewn ones. */
    private static final double CLUSTERING = 8;

    private SmoothingRule() {
    }

    /**
     * @param events events in the grid (none counts as one: the widest radius)
     * @param areaPx the layout's area in px² (width × drawn height)
     * @return σ in whole px, {@value #MIN_PX} to {@value #MAX_PX}
     */
    public static int sigmaPx(long events, double areaPx) {
        double spread = Math.sqrt(Math.max(0, areaPx) / 12);
        double sigma = spread * Math.pow(Math.max(1, events), -1.0 / 6) / CLUSTERING;
        return (int) Math.min(MAX_PX, Math.max(MIN_PX, Math.round(sigma)));
    }
}
