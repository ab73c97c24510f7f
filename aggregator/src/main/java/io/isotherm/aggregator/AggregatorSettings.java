package io.isotherm.aggregator;

import io.isotherm.grid.GridGeometry;

import java.time.Duration;
import java.util.Objects;

/**
 * How the aggregator bins and how often it runs.
 *
 * @param interval          pause between scheduled runs
 * @param grid              cell size, histogram bucket and layout widths: the shape of what it writes
 * @param anchorBins        in-box positions of clicks are kept in anchorBins × anchorBins bins per selector
 * @param batchesPerRun     batches claimed per transaction
 * @param workers           transactions of aggregation run at once, each on its own claim: while one waits for
 *                          PostgreSQL to write, another's events are being read and counted
 * @param retentionDays     raw events older than this many days are dropped once aggregated
 * @param viewRefresh       a stored default view is recomputed at most this often (its counts may change every pass)
 */
public record AggregatorSettings(
        Duration interval,
        GridGeometry grid,
        int anchorBins,
        int batchesPerRun,
        int workers,
        int retentionDays,
        Duration viewRefresh) {

    public AggregatorSettings {
        Objects.requireNonNull(grid, "grid");
        if (anchorBins < 1 || anchorBins > 100) throw new IllegalArgumentException("anchor bins must be 1 to 100, got " + anchorBins);
        if (batchesPerRun < 1) throw new IllegalArgumentException("batches per run must be at least 1, got " + batchesPerRun);
        if (workers < 1 || workers > 16) throw new IllegalArgumentException("workers must be 1 to 16, got " + workers);
        if (retentionDays < 3) throw new IllegalArgumentException("retention must be at least 3 days, got " + retentionDays);
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval must be positive");
        if (viewRefresh.isNegative()) throw new IllegalArgumentException("view refresh must not be negative");
    }

    public static AggregatorSettings defaults() {
        return new AggregatorSettings(Duration.ofSeconds(60), GridGeometry.defaults(), 16, 5000, 1, 30, Duration.ofMinutes(5));
    }

    public AggregatorSettings withBatchesPerRun(int batchesPerRun) {
        return new AggregatorSettings(interval, grid, anchorBins, batchesPerRun, workers, retentionDays, viewRefresh);
    }

    public AggregatorSettings withWorkers(int workers) {
        return new AggregatorSettings(interval, grid, anchorBins, batchesPerRun, workers, retentionDays, viewRefresh);
    }

    public AggregatorSettings withViewRefresh(Duration viewRefresh) {
        return new AggregatorSettings(interval, grid, anchorBins, batchesPerRun, workers, retentionDays, viewRefresh);
    }
}
