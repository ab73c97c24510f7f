package io.isotherm.collector;

import io.isotherm.db.event.RawEventPartitions;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Gathers the batches of concurrent requests and stores them in one transaction: receipts first (which turns
 * redelivered batches into no-ops), then the events of the new batches with one COPY. A request's future
 * completes only after the commit, so a 202 always means "in PostgreSQL". When the queue is full or the write
 * fails, futures fail with a 503 rejection and the tracker retries: nothing is acknowledged and then lost.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    /** PostgreSQL's SQLSTATE for "no partition of relation raw_event found for row". */
    private static final String NO_PARTITION = "23514";

    /** What became of a submitted batch. */
    enum Outcome { STORED, DUPLICATE }

    /** A batch with its COPY rows, encoded by the submitting request thread. */
    private record Pending(AcceptedBatch batch, byte[] rows, CompletableFuture<Outcome> stored) {
    }

    private static final CollectRejection SITE_GONE = new CollectRejection(CollectRejection.Reason.UNKNOWN_SITE,
            "no site has this key", "site");

    private final Jdbi jdbi;
    private final RawEventPartitions partitions;
    private final CollectorSettings settings;
    private final CollectMetrics metrics;
    private final BlockingQueue<Pending> queue;
    private final List<Thread> threads = new ArrayList<>();
    /** Answers requests after a commit, so the writer can start the next group while responses are written. */
    private final ExecutorService completions;
    private volatile boolean running = true;

    GroupCommitWriter(Jdbi jdbi, RawEventPartitions partitions, CollectorSettings settings, CollectMetrics metrics) {
        this.jdbi = jdbi;
        this.partitions = partitions;
        this.settings = settings;
        this.metrics = metrics;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        metrics.queueDepth(queue::size);
        this.completions = Executors.newFixedThreadPool(settings.writerThreads(), r -> {
            Thread t = new Thread(r, "collect-respond");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < settings.writerThreads(); i++) {
            Thread thread = new Thread(this::run, "collect-writer-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    /** Completes once the batch is committed (or was already), or fails with a rejection to answer. */
    CompletableFuture<Outcome> submit(AcceptedBatch batch) {
        var pending = new Pending(batch, EventCopyEncoder.encode(batch), new CompletableFuture<>());
        if (!running || !queue.offer(pending)) {
            pending.stored.completeExceptionally(new CollectRejection(CollectRejection.Reason.OVERLOADED,
                    "the collector is busy; retry later", null));
        }
        return pending.stored;
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                gather(group);
                write(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    /** Takes what is queued, then lingers briefly for more so that concurrent requests share one commit. */
    private void gather(List<Pending> group) throws InterruptedException {
        int events = group.get(0).batch.events().size();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.lingerMillis());
        while (events < settings.maxEventsPerWrite()) {
            Pending next = queue.poll();
            if (next == null) {
                long wait = deadline - System.nanoTime();
                if (wait <= 0 || (next = queue.poll(wait, TimeUnit.NANOSECONDS)) == null) {
                    return;
                }
            }
            group.add(next);
            events += next.batch.events().size();
        }
    }

    private void write(List<Pending> group) {
        // A request that timed out was answered 503 and will be retried: storing it now would only add load
        // while the database catches up (and the retry would find it stored, which is also correct).
        group.removeIf(p -> p.stored.isDone());
        if (group.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        List<Pending> done = List.copyOf(group);
        try {
            Result result = storeWithPartitionRetry(done);
            metrics.groupWritten(done.size(), System.nanoTime() - start);
            completions.execute(() -> {
                for (Pending p : done) {
                    if (result.stored.remove(p.batch.key())) {
                        p.stored.complete(Outcome.STORED);
                    } else if (result.liveSites.contains(p.batch.siteId())) {
                        p.stored.complete(Outcome.DUPLICATE);
                    } else {
                        p.stored.completeExceptionally(SITE_GONE); // removed after its key was looked up
                    }
                }
            });
        } catch (RuntimeException e) {
            log.warn("could not store {} batches, answering 503: {}", done.size(), Causes.rootMessage(e));
            var rejection = new CollectRejection(CollectRejection.Reason.DATABASE_UNAVAILABLE,
                    "events could not be stored; retry later", null);
            completions.execute(() -> done.forEach(p -> p.stored.completeExceptionally(rejection)));
        }
    }

    /** The keys this transaction stored, and which of the group's sites still existed while it ran. */
    private record Result(Set<AcceptedBatch.Key> stored, Set<Integer> liveSites) {
    }

    private Result storeWithPartitionRetry(List<Pending> group) {
        try {
            return storeInTransaction(group);
        } catch (RuntimeException e) {
            if (!NO_PARTITION.equals(Causes.sqlState(e))) {
                throw e;
            }
            // A day's partition is missing (a clock jump, or upkeep fell behind): create it and try once more.
            partitions.ensure();
            return storeInTransaction(group);
        }
    }

    private Result storeInTransaction(List<Pending> group) {
        try {
            return jdbi.inTransaction(h -> store(h, group));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }


    /**
     * Receipts first: a receipt that already exists marks a redelivery, whose events are not copied again. The
     * sites are key-share locked so that a concurrent {@code site remove} waits for this commit and then deletes
     * these rows too, or runs first and leaves nothing to attach them to.
     */
    private static Result store(Handle h, List<Pending> group) throws SQLException {
        Set<Integer> liveSites = new HashSet<>(h.createQuery("SELECT site_id FROM site WHERE site_id = ANY(:ids) FOR KEY SHARE")
                .bind("ids", group.stream().map(p -> p.batch.siteId()).distinct().toArray(Integer[]::new))
                .mapTo(Integer.class)
                .list());
        List<Pending> pending = group.stream()
                .filter(p -> liveSites.contains(p.batch.siteId()))
                .sorted((a, b) -> a.batch.key().compareTo(b.batch.key())) // one lock order for all writers: no deadlocks
                .toList();
        List<AcceptedBatch> batches = pending.stream().map(Pending::batch).toList();
        int n = batches.size();
        Integer[] sites = new Integer[n];
        UUID[] pageviews = new UUID[n];
        Integer[] seqs = new Integer[n];
        Long[] pages = new Long[n];
        Integer[] counts = new Integer[n];
        Float[] pixelRatios = new Float[n];
        String[] timeZones = new String[n];
        for (int i = 0; i < n; i++) {
            AcceptedBatch b = batches.get(i);
            sites[i] = b.siteId();
            pageviews[i] = b.pageviewId();
            seqs[i] = b.seq();
            pages[i] = b.pageId();
            counts[i] = b.events().size();
            pixelRatios[i] = b.devicePixelRatio();
            timeZones[i] = b.timeZone();
        }
        Set<AcceptedBatch.Key> stored = new HashSet<>(h.createQuery("""
                        INSERT INTO ingest_batch (site_id, pageview_id, seq, page_id, event_count, device_pixel_ratio, time_zone)
                        SELECT * FROM unnest(:sites, :pageviews, :seqs, :pages, :counts, :pixelRatios, :timeZones)
                        ON CONFLICT DO NOTHING
                        RETURNING site_id, pageview_id, seq""")
                .bind("sites", sites)
                .bind("pageviews", pageviews)
                .bind("seqs", seqs)
                .bind("pages", pages)
                .bind("counts", counts)
                .bind("pixelRatios", pixelRatios)
                .bind("timeZones", timeZones)
                .map((rs, ctx) -> new AcceptedBatch.Key(rs.getInt(1), rs.getObject(2, UUID.class), rs.getInt(3)))
                .list());
        var rows = new ByteArrayOutputStream(64 * 1024);
        Set<AcceptedBatch.Key> copied = new HashSet<>();
        for (Pending p : pending) {
            if (stored.contains(p.batch.key()) && copied.add(p.batch.key())) { // the same batch twice in one group: once
                rows.writeBytes(p.rows);
            }
        }
        if (rows.size() > 0) {
            try {
                h.getConnection().unwrap(PGConnection.class).getCopyAPI()
                        .copyIn(EventCopyEncoder.COPY_SQL, new ByteArrayInputStream(rows.toByteArray()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Result(stored, liveSites);
    }

    /** Stops taking batches, stores what is queued, then returns. */
    @Override
    public void close() {
        running = false;
        for (Thread thread : threads) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        completions.shutdown();
        try {
            completions.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
