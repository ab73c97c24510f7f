package io.isotherm.bench;

import io.isotherm.grid.GaussianSmoothing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Time per smoothing of a click grid: {@link GaussianSmoothing} against a direct separable convolution with the
 * same truncated kernel, which costs O(cells·σ) and is only here for the ratio. Grids: a 1440 × 10,000 px page at
 * 8 px cells (180 × 1250) and 1000 × 1000. Run with
 * {@code java -cp bench/target/isotherm-bench.jar org.openjdk.jmh.Main SmoothingBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SmoothingBench {

    @State(Scope.Benchmark)
    public static class Recursive {
        @Param({"180x1250", "1000x1000"})
        public String grid;
        @Param({"1", "4", "16", "64"})
        public double sigma;
        Clicks clicks;

        @Setup
        public void setUp() {
            clicks = Clicks.of(grid);
        }
    }

    /** The direct convolution takes seconds at σ = 64 on the large grid, and the trend is clear before. */
    @State(Scope.Benchmark)
    public static class Direct {
        @Param({"180x1250", "1000x1000"})
        public String grid;
        @Param({"1", "4", "16"})
        public double sigma;
        Clicks clicks;

        @Setup
        public void setUp() {
            clicks = Clicks.of(grid);
        }
    }

    @Benchmark
    public float[] smooth(Recursive s) {
        return GaussianSmoothing.smooth(s.clicks.counts, s.clicks.columns, s.clicks.rows, s.sigma);
    }

    @Benchmark
    public float[] naive(Direct s) {
        return directConvolution(s.clicks.counts, s.clicks.columns, s.clicks.rows, s.sigma);
    }

    /** Click counts around 300 targets (buttons, links), most cells empty; the same for every run. */
    record Clicks(float[] counts, int columns, int rows) {
        static Clicks of(String grid) {
            String[] size = grid.split("x");
            int columns = Integer.parseInt(size[0]), rows = Integer.parseInt(size[1]);
            SplittableRandom random = new SplittableRandom(20240611);
            float[] counts = new float[columns * rows];
            for (int target = 0; target < 300; target++) {
                double x = random.nextDouble(columns), y = random.nextDouble(rows), spread = random.nextDouble(0.5, 6);
                for (int click = random.nextInt(1, 400); click > 0; click--) {
                    int c = (int) (x + spread * gaussian(random)), r = (int) (y + spread * gaussian(random));
                    if (c >= 0 && c < columns && r >= 0 && r < rows) {
                        counts[r * columns + c]++;
                    }
                }
            }
            return new Clicks(counts, columns, rows);
        }

        private static double gaussian(SplittableRandom random) {
            return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
        }
    }

    /**
     * The definition, computed directly: rows then columns, w(k) = exp(−k²/2σ²) for |k| ≤ ceil(4σ), normalised over
     * the kernel, zero outside the grid; 2·(2R + 1) multiply-adds per cell.
     */
    static float[] directConvolution(float[] grid, int columns, int rows, double sigma) {
        int reach = (int) Math.ceil(4 * sigma);
        double[] w = new double[2 * reach + 1];
        double total = 0;
        for (int k = -reach; k <= reach; k++) {
            w[k + reach] = Math.exp(-(double) k * k / (2 * sigma * sigma));
            total += w[k + reach];
        }
        for (int k = 0; k < w.length; k++) {
            w[k] /= total;
        }
        float[] alongRows = new float[grid.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                double sum = 0;
                for (int k = Math.max(-reach, -c); k <= Math.min(reach, columns - 1 - c); k++) {
                    sum += w[k + reach] * grid[r * columns + c + k];
                }
                alongRows[r * columns + c] = (float) sum;
            }
        }
        // Column by column through a row-major grid would miss the cache on every read: add whole rows instead.
        float[] smoothed = new float[grid.length];
        double[] sum = new double[columns];
        for (int r = 0; r < rows; r++) {
            Arrays.fill(sum, 0);
            for (int k = Math.max(-reach, -r); k <= Math.min(reach, rows - 1 - r); k++) {
                double weight = w[k + reach];
                int from = (r + k) * columns;
                for (int c = 0; c < columns; c++) {
                    sum[c] += weight * alongRows[from + c];
                }
            }
            for (int c = 0; c < columns; c++) {
                smoothed[r * columns + c] = (float) sum[c];
            }
        }
        return smoothed;
    }
}
