package io.isotherm.grid;

/**
 * A density grid ready to draw over the screenshot of a device class's layout. Cell (c, r) covers layout px
 * x ∈ [c·cellSize, (c+1)·cellSize), y ∈ [r·cellSize, (r+1)·cellSize); arrays are row-major, columns × rows.
 *
 * @param sigma        the Gaussian's σ in px
 * @param defaultSigma the σ this grid gets when none is asked for ({@link SmoothingRule})
 * @param values    smoothed density divided by {@code max}: 0 to 1 (never negative, never -0.0)
 * @param counts    events per cell before smoothing, or null when not asked for
 * @param max       the largest smoothed density, in events per cell
 * @param p99       the 99th percentile of the non-zero smoothed densities, in events per cell (a palette may clip there)
 * @param total     events in the grid
 * @param pageviews page views of the page on that device class in the range
 * @param notDrawn  clicks not in the grid: on elements the page's capture did not see (not fixed), which have no
 *                  place on the screenshot; the elements report lists them
 */
public record Heatmap(int cellSize, int columns, int rows, int layoutWidth, int layoutHeight, double sigma, double defaultSigma,
                      float[] values, int[] counts, double max, double p99, long total, long pageviews, long notDrawn) {

    /**
     * A value for {@code values}: clamped to [0, 1]. The smoothing leaves rounding residue around zero (tiny negatives,
     * -0.0) that a palette or a client comparing with 0 must not see.
     */
    static float unit(double v) {
        return v > 0 ? (float) Math.min(v, 1) : 0f;
    }
}
