package io.isotherm.aggregator;

import java.time.Duration;
import java.util.Map;

/**
 * How the aggregator bins and how often it runs.
 *
 * @param interval          pause between scheduled runs
 * @param cellSize          side of a count-grid cell in CSS px of the layout
 * @param layoutWidths      layout (screenshot) width per device class, in CSS px: grids are this wide
 * @param anchorBins        in-box positions of clicks are kept in anchorBins × anchorBins bins per selector
 * @param bucketPx          bucket height in px for scroll depth, viewport height and attention histograms
 * @param batchesPerRun     batches claimed per transaction
 * @param retentionDays     raw events older than this many days are dropped once aggregated
 * @param viewRefresh       a stored default view is recomputed at most this often (its counts may change every pass)
 */
public record AggregatorSettings(
        Duration interval,
        int cellSize,
        Map<String, Integer> layoutWidths,
        int anchorBins,
        int bucketPx,
        int batchesPerRun,
        int retentionDays,
        Duration viewRefresh) {

    public static final Map<String, Integer> DEFAULT_LAYOUT_WIDTHS = Map.of("desktop", 1440, "tablet", 820, "mobile", 390);

    public AggregatorSettings {
        layoutWidths = Map.copyOf(layoutWidths);
        if (cellSize < 1 || cellSize > 256) throw new IllegalArgumentException("cell size must be 1 to 256 px, got " + cellSize);
        for (String device : DEFAULT_LAYOUT_WIDTHS.keySet()) {
            Integer width = layoutWidths.get(device);
            if (width == null || width < 100 || width > 10_000) {
                throw new IllegalArgumentException("layout width for " + device + " must be 100 to 10000 px, got " + width);
            }
        }
        if (anchorBins < 1 || anchorBins > 100) throw new IllegalArgumentException("anchor bins must be 1 to 100, got " + anchorBins);
        if (bucketPx < 1) throw new IllegalArgumentException("bucket must be at least 1 px, got " + bucketPx);
        if (batchesPerRun < 1) throw new IllegalArgumentException("batches per run must be at least 1, got " + batchesPerRun);
        if (retentionDays < 3) throw new IllegalArgumentException("retention must be at least 3 days, got " + retentionDays);
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval must be positive");
        if (viewRefresh.isNegative()) throw new IllegalArgumentException("view refresh must not be negative");
    }

    public static AggregatorSettings defaults() {
        return new AggregatorSettings(Duration.ofSeconds(60), 8, DEFAULT_LAYOUT_WIDTHS, 16, 50, 1000, 30, Duration.ofMinutes(5));
    }

    public AggregatorSettings withBatchesPerRun(int batchesPerRun) {
        return new AggregatorSettings(interval, cellSize, layoutWidths, anchorBins, bucketPx, batchesPerRun, retentionDays, viewRefresh);
    }

    public AggregatorSettings withViewRefresh(Duration viewRefresh) {
        return new AggregatorSettings(interval, cellSize, layoutWidths, anchorBins, bucketPx, batchesPerRun, retentionDays, viewRefresh);
    }

    public int layoutWidth(String device) {
        return layoutWidths.get(device);
    }
}
