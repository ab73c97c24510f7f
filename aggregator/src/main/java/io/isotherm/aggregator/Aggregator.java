package io.isotherm.aggregator;

import io.isotherm.grid.BlockRefresh;
import io.isotherm.grid.HeatmapQuery;
import io.isotherm.grid.ViewRefresh;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The aggregator role: every {@code interval} it aggregates every pending batch, in transactions of
 * {@code batchesPerRun} batches, {@code workers} at a time, and on a schedule of its own it refreshes what the
 * aggregation left for later: the count grids' parts, added to their rows ({@link BlockRefresh}), and the stored default
 * views ({@link ViewRefresh}). Any number of aggregators may run against one database; they share the work through row
 * locks (see {@link AggregationRun}).
 */
public final class Aggregator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Aggregator.class);
    private static final int ATTEMPTS = 5;

    /** What a pass did. */
    public record Pass(int batches, int events, int transactions, Refresh refresh) {
        public int viewsRefreshed() {
            return refresh.views();
        }
    }

    /** What a refresh did: days of count grids whose parts were added to their rows, stored views recomputed. */
    public record Refresh(int blocks, int views) {
        static final Refresh NONE = new Refresh(0, 0);
    }

    private final AggregationRun run;
    private final Retention retention;
    private final ViewRefresh views;
    private final BlockRefresh blocks;
    private final AggregatorSettings settings;
    private final AtomicReference<String> status = new AtomicReference<>("starting");
    private ScheduledExecutorService schedule;

    public Aggregator(Jdbi jdbi, AggregatorSettings settings) {
        this.run = new AggregationRun(jdbi, settings);
        this.retention = new Retention(jdbi, settings.retentionDays());
        this.views = new ViewRefresh(jdbi, new HeatmapQuery(jdbi, settings.grid()), settings.viewRefresh());
        this.blocks = new BlockRefresh(jdbi);
        this.settings = settings;
    }

    /**
     * Starts the schedules: a first aggregation pass right away, then one every interval; and the refresh, in a thread
     * of its own, so that aggregation never waits for it.
     */
    public Aggregator start() {
        schedule = Executors.newScheduledThreadPool(2, new BasicThreadFactory.Builder().namingPattern("aggregator-%d").daemon(true).build());
        schedule.scheduleWithFixedDelay(this::scheduledPass, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
        schedule.scheduleWithFixedDelay(this::scheduledRefresh, settings.interval().toMillis() / 2, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void scheduledPass() {
        try {
            Pass pass = drain();
            dropExpired();
            status.set("ok: last pass " + pass.batches() + " batches, " + pass.events() + " events");
        } catch (RuntimeException e) {
            // The batches stay pending and the next pass takes them: log and carry on.
            status.set("failing: " + e.getMessage());
            log.warn("aggregation pass failed, retrying in {} s: {}", settings.interval().toSeconds(), e.toString());
        }
    }

    private void scheduledRefresh() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // Marks stay until a refresh takes them: readers use the single days meanwhile.
            log.warn("refresh failed, retrying in {} s: {}", settings.interval().toSeconds(), e.toString());
        }
    }

    /** Aggregates every batch pending now (and any that arrive meanwhile), then refreshes: {@link #drain}, {@link #refresh}. */
    public Pass aggregatePending() {
        Pass pass = drain();
        return new Pass(pass.batches(), pass.events(), pass.transactions(), refresh());
    }

    /**
     * Aggregates every batch pending now (and any that arrive meanwhile), in {@code workers} transactions at a time
     * (each claims batches the others skip); no refresh.
     */
    public Pass drain() {
        Pass pass = settings.workers() == 1 ? drainOneAtATime(new AtomicBoolean()) : drainInWorkers();
        if (pass.batches() > 0) log.info("aggregated {} batches, {} events in {} transactions", pass.batches(), pass.events(), pass.transactions());
        return pass;
    }

    /**
     * A transaction spends most of its time waiting for PostgreSQL (reading, then writing), so one at a time leaves a
     * core idle; several at once keep both the JVM and PostgreSQL busy, as separate aggregators would. When one fails,
     * the others stop after their current transaction, and the pass fails: the next one starts over.
     */
    private Pass drainInWorkers() {
        ExecutorService workers = Executors.newFixedThreadPool(settings.workers(),
                new BasicThreadFactory.Builder().namingPattern("aggregator-worker-%d").daemon(true).build());
        AtomicBoolean failed = new AtomicBoolean();
        try {
            List<Future<Pass>> passes = new ArrayList<>();
            for (int i = 0; i < settings.workers(); i++) {
                passes.add(workers.submit(() -> {
                    try {
                        return drainOneAtATime(failed);
                    } catch (RuntimeException e) {
                        failed.set(true);
                        throw e;
                    }
                }));
            }
            int batches = 0, events = 0, transactions = 0;
            RuntimeException failure = null;
            for (Future<Pass> future : passes) {
                try {
                    Pass pass = future.get();
                    batches += pass.batches();
                    events += pass.events();
                    transactions += pass.transactions();
                } catch (ExecutionException e) {
                    // What the other workers committed stays committed; the failed claim stays pending.
                    if (failure == null) failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
            if (failure != null) throw failure;
            return new Pass(batches, events, transactions, Refresh.NONE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while aggregating", e);
        } finally {
            workers.shutdownNow();
        }
    }

    /** Runs transactions until nothing is left or {@code stop} is set. */
    private Pass drainOneAtATime(AtomicBoolean stop) {
        int batches = 0, events = 0, transactions = 0;
        while (!stop.get()) {
            AggregationRun.Result result = runWithRetry();
            if (result.batches() == 0) break;
            batches += result.batches();
            events += result.events();
            transactions++;
            if (result.batches() < settings.batchesPerRun()) break;
        }
        return new Pass(batches, events, transactions, Refresh.NONE);
    }

    /**
     * Adds the parts of the days the aggregation marked to their rows, then recomputes the stored 7- and 30-day views of
     * what changed (and of every page, once a day).
     */
    public Refresh refresh() {
        Refresh refresh = new Refresh(blocks.refresh(), views.refresh());
        if (refresh.blocks() + refresh.views() > 0) log.info("refreshed {} days of count grids and {} heatmap views", refresh.blocks(), refresh.views());
        return refresh;
    }

    /** Two aggregators adding to the same rows can still deadlock in PostgreSQL's eyes; the loser simply runs again. */
    private AggregationRun.Result runWithRetry() {
        for (int attempt = 1; ; attempt++) {
            try {
                return run.runOnce();
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS || !retryable(e)) throw e;
                log.info("aggregation transaction rolled back ({}), attempt {} of {}", e.getClass().getSimpleName(), attempt + 1, ATTEMPTS);
            }
        }
    }

    /** Deadlock detected or serialization failure: nothing was written, running again is safe. */
    private static boolean retryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().equals("40P01") || sql.getSQLState().equals("40001"))) {
                return true;
            }
        }
        return false;
    }

    /** Drops raw event partitions past the retention window whose events are all aggregated; returns their names. */
    public List<String> dropExpired() {
        return retention.apply(LocalDate.now(ZoneOffset.UTC));
    }

    public String status() {
        return status.get();
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.shutdownNow();
            try {
                schedule.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
