package io.isotherm.grid;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * GaussianSmoothing against the definition: the analytic truncated Gaussian, and a plain O(cells·σ) convolution
 * written here. The product requirement is a deviation of at most 1 % of the expected grid's maximum.
 */
class GaussianSmoothingTest {
    private static final double ONE_PERCENT = 0.01;
    /** Shapes for the comparison with the reference: lines, tiny, non-square, and bigger than some kernels. */
    private static final int[][] SHAPES = {{1, 1}, {1, 300}, {300, 1}, {7, 5}, {33, 20}, {17, 150}, {120, 90}};

    @ParameterizedTest(name = "σ = {0}")
    @ValueSource(doubles = {0.6, 2, 7.5, 30})
    void an_impulse_becomes_the_truncated_gaussian_profile(double sigma) {
        int reach = reach(sigma), side = 2 * reach + 11, middle = side / 2;
        float[] grid = new float[side * side];
        grid[middle * side + middle] = 1;

        float[] smoothed = GaussianSmoothing.smooth(grid, side, side, sigma);

        double[] w = weights(sigma);
        double[] profile = new double[grid.length];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                profile[y * side + x] = weight(w, x - middle) * weight(w, y - middle);
            }
        }
        assertThat(deviation(smoothed, profile)).isLessThanOrEqualTo(ONE_PERCENT);
    }

    @ParameterizedTest(name = "σ = {0}")
    @ValueSource(doubles = {0.25, 1, 5.5, 20})
    void mass_is_conserved_away_from_the_edges(double sigma) {
        int side = 2 * reach(sigma) + 9, middle = side / 2;
        float[] grid = new float[side * side];
        grid[middle * side + middle] = 7;

        float[] smoothed = GaussianSmoothing.smooth(grid, side, side, sigma);

        assertThat(sum(smoothed)).isCloseTo(7, within(7e-5));
        assertThat(max(smoothed)).isLessThan(7); // it was spread, not just copied
    }

    @ParameterizedTest(name = "σ = {0}")
    @ValueSource(doubles = {1, 3, 8, 20})
    void the_spread_of_an_impulse_is_sigma(double sigma) {
        int side = 2 * reach(sigma) + 9, middle = side / 2;
        float[] grid = new float[side * side];
        grid[middle * side + middle] = 1;

        float[] smoothed = GaussianSmoothing.smooth(grid, side, side, sigma);

        double mass = 0, xx = 0, yy = 0;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double v = smoothed[y * side + x];
                mass += v;
                xx += v * (x - middle) * (x - middle);
                yy += v * (y - middle) * (y - middle);
            }
        }
        // The truncation at 4σ takes 0.1 % off the variance.
        assertThat(xx / mass).isCloseTo(sigma * sigma, within(0.02 * sigma * sigma));
        assertThat(yy / mass).isCloseTo(sigma * sigma, within(0.02 * sigma * sigma));
    }

    @Test
    void a_corner_impulse_keeps_about_a_quarter_of_its_mass_and_nothing_is_reflected() {
        double sigma = 6;
        int side = 60;
        float[] grid = new float[side * side];
        grid[0] = 1;

        float[] smoothed = GaussianSmoothing.smooth(grid, side, side, sigma);

        // Along each axis the cell itself and the R cells on the inner side stay: (1 + (S − 1)/2) / S of S.
        double[] w = weights(sigma);
        double kept = 0;
        for (int k = 0; k <= reach(sigma); k++) {
            kept += weight(w, k);
        }
        assertThat(sum(smoothed)).isCloseTo(kept * kept, within(0.01 * kept * kept)).isLessThan(0.3);
        double[] oneSided = new double[grid.length];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                oneSided[y * side + x] = weight(w, x) * weight(w, y);
            }
        }
        // Mass folded back at the edge would raise the cells next to it well above the one-sided profile.
        assertThat(deviation(smoothed, oneSided)).isLessThanOrEqualTo(ONE_PERCENT);
    }

    @Test
    void an_impulse_near_an_edge_loses_what_falls_outside() {
        double sigma = 3;
        float[] line = new float[40];
        line[2] = 1;

        float[] smoothed = GaussianSmoothing.smooth(line, line.length, 1, sigma);

        // A grid of one row: the column pass keeps only the middle weight of the kernel, w(0).
        double[] w = weights(sigma);
        double peak = weight(w, 0) * weight(w, 0);
        for (int x = 0; x < line.length; x++) {
            assertThat((double) smoothed[x]).as("cell %d", x)
                    .isCloseTo(weight(w, x - 2) * weight(w, 0), within(ONE_PERCENT * peak));
        }
    }

    @ParameterizedTest(name = "σ = {0}")
    @ValueSource(doubles = {0.5, 3, 10})
    void nothing_reaches_beyond_four_sigma(double sigma) {
        int reach = reach(sigma);
        float[] line = new float[6 * reach + 20];
        int at = 3 * reach + 10;
        line[at] = 1;

        float[] smoothed = GaussianSmoothing.smooth(line, 1, line.length, sigma);

        for (int y = 0; y < line.length; y++) {
            if (Math.abs(y - at) > reach) {
                assertThat((double) smoothed[y]).as("cell %d", y).isCloseTo(0, within(1e-12));
            }
        }
        assertThat(smoothed[at + reach]).isPositive();
    }

    @ParameterizedTest(name = "σ = {0}")
    @ValueSource(doubles = {0.25, 0.3, 0.5, 0.8, 1, 1.7, 3, 6.5, 16, 40, 64, 128})
    void matches_the_reference_convolution_on_random_grids(double sigma) {
        for (int[] shape : SHAPES) {
            int columns = shape[0], rows = shape[1];
            for (long seed = 1; seed <= 3; seed++) {
                for (float[] grid : new float[][] {uniform(columns * rows, seed), clicks(columns, rows, seed)}) {
                    float[] smoothed = GaussianSmoothing.smooth(grid, columns, rows, sigma);

                    assertThat(deviation(smoothed, reference(grid, columns, rows, sigma)))
                            .as("%d × %d, seed %d", columns, rows, seed)
                            .isLessThanOrEqualTo(ONE_PERCENT);
                }
            }
        }
    }

    @ParameterizedTest(name = "σ = {0}")
    @ValueSource(doubles = {0.7, 5, 30})
    void parallel_and_sequential_results_are_identical_to_the_bit(double sigma) {
        int columns = 400, rows = 300;
        assertThat(columns * rows).isGreaterThanOrEqualTo(GaussianSmoothing.PARALLEL_CELLS);
        float[] grid = clicks(columns, rows, 42);

        float[] sequential = GaussianSmoothing.smooth(grid, columns, rows, sigma, false);
        float[] parallel = GaussianSmoothing.smooth(grid, columns, rows, sigma, true);

        assertThat(bits(parallel)).isEqualTo(bits(sequential));
        assertThat(bits(GaussianSmoothing.smooth(grid, columns, rows, sigma))).isEqualTo(bits(sequential));
        assertThat(max(sequential)).isPositive();
    }

    @Test
    void sigma_zero_returns_a_copy() {
        float[] grid = uniform(12, 1);

        float[] smoothed = GaussianSmoothing.smooth(grid, 4, 3, 0);

        assertThat(smoothed).isEqualTo(grid).isNotSameAs(grid);
    }

    @Test
    void an_empty_grid_stays_empty() {
        assertThat(GaussianSmoothing.smooth(new float[0], 0, 3, 2)).isEmpty();
        assertThat(GaussianSmoothing.smooth(new float[0], 5, 0, 2)).isEmpty();
    }

    @Test
    void leaves_the_input_untouched() {
        float[] grid = clicks(50, 40, 7);
        float[] before = grid.clone();

        GaussianSmoothing.smooth(grid, 50, 40, 2.5);

        assertThat(grid).isEqualTo(before);
    }

    @Test
    void rejects_invalid_arguments() {
        float[] grid = new float[12];
        assertThatThrownBy(() -> GaussianSmoothing.smooth(grid, 5, 3, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12 cells");
        assertThatThrownBy(() -> GaussianSmoothing.smooth(grid, -4, -3, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
        for (double sigma : new double[] {-0.5, Double.NaN, Double.POSITIVE_INFINITY, 2e6}) {
            assertThatThrownBy(() -> GaussianSmoothing.smooth(grid, 4, 3, sigma))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sigmaCells");
        }
        float[] withNaN = new float[12];
        withNaN[5] = Float.NaN;
        assertThatThrownBy(() -> GaussianSmoothing.smooth(withNaN, 4, 3, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grid[5]");
        assertThatNullPointerException().isThrownBy(() -> GaussianSmoothing.smooth(null, 4, 3, 1));
    }

    /**
     * The reference, straight from the definition: rows, then columns, with w(k) = exp(−k²/2σ²) for |k| ≤ R =
     * ceil(4σ), normalised to sum to 1 over all 2R + 1 of them, and zero outside the grid.
     */
    private static double[] reference(float[] grid, int columns, int rows, double sigma) {
        double[] w = weights(sigma);
        double[] alongRows = new double[grid.length];
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < columns; x++) {
                double sum = 0;
                for (int from = 0; from < columns; from++) {
                    sum += weight(w, x - from) * grid[y * columns + from];
                }
                alongRows[y * columns + x] = sum;
            }
        }
        double[] smoothed = new double[grid.length];
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < columns; x++) {
                double sum = 0;
                for (int from = 0; from < rows; from++) {
                    sum += weight(w, y - from) * alongRows[from * columns + x];
                }
                smoothed[y * columns + x] = sum;
            }
        }
        return smoothed;
    }

    /** w(k) at index k + R. */
    private static double[] weights(double sigma) {
        int reach = reach(sigma);
        double[] w = new double[2 * reach + 1];
        double total = 0;
        for (int k = -reach; k <= reach; k++) {
            w[k + reach] = Math.exp(-(double) k * k / (2 * sigma * sigma));
            total += w[k + reach];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= total;
        }
        return w;
    }

    private static double weight(double[] w, int k) {
        int reach = w.length / 2;
        return Math.abs(k) <= reach ? w[k + reach] : 0;
    }

    private static int reach(double sigma) {
        return (int) Math.ceil(4 * sigma);
    }

    /** Largest |actual − expected|, as a fraction of the expected grid's maximum. */
    private static double deviation(float[] actual, double[] expected) {
        double worst = 0, max = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
            max = Math.max(max, Math.abs(expected[i]));
        }
        assertThat(max).as("expected grid is all zero").isPositive();
        return worst / max;
    }

    private static float[] uniform(int cells, long seed) {
        Random random = new Random(seed);
        float[] grid = new float[cells];
        for (int i = 0; i < cells; i++) {
            grid[i] = random.nextFloat();
        }
        return grid;
    }

    /** Counts of clicks around a few targets, most cells empty: what a click grid looks like. */
    private static float[] clicks(int columns, int rows, long seed) {
        Random random = new Random(seed);
        float[] grid = new float[columns * rows];
        int targets = 1 + columns * rows / 500;
        for (int t = 0; t < targets; t++) {
            double cx = random.nextDouble() * columns, cy = random.nextDouble() * rows;
            double spread = 0.5 + random.nextDouble() * 4;
            for (int click = random.nextInt(40); click >= 0; click--) {
                int x = (int) Math.floor(cx + random.nextGaussian() * spread);
                int y = (int) Math.floor(cy + random.nextGaussian() * spread);
                if (x >= 0 && x < columns && y >= 0 && y < rows) {
                    grid[y * columns + x]++;
                }
            }
        }
        grid[random.nextInt(grid.length)]++; // never all zero
        return grid;
    }

    private static double sum(float[] grid) {
        double sum = 0;
        for (float v : grid) {
            sum += v;
        }
        return sum;
    }

    private static double max(float[] grid) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : grid) {
            max = Math.max(max, v);
        }
        return max;
    }

    private static int[] bits(float[] grid) {
        int[] bits = new int[grid.length];
        for (int i = 0; i < grid.length; i++) {
            bits[i] = Float.floatToRawIntBits(grid[i]);
        }
        return bits;
    }
}
