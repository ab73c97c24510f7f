package io.isotherm.collector;

import io.isotherm.db.event.RawEventPartitions;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Gathers the batches of concurrent requests and stores them in one transaction ({@link IngestTransaction}):
 * receipts first (which turns redelivered batches into no-ops), then the events of the new batches with one COPY. A request's future
 * completes only after the commit, so a 202 always means "in PostgreSQL". When the queue is full or the write
 * fails, futures fail with a 503 {@link Drop} and the tracker retries: nothing is acknowledged and then lost.
 * The queue is shared fairly between sites ({@link FairQueue}): one site's batches fill at most its share of it,
 * and groups take the sites' batches in turn, so a flooded site slows down only itself.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** What became of a submitted batch. */
    enum Outcome { STORED, DUPLICATE }

    /** A batch encoded by the submitting request thread, and the future its request waits on. */
    private record Pending(EncodedBatch batch, CompletableFuture<Outcome> stored) {
        int events() {
            return batch.receipt().eventCount();
        }
    }

    private final Jdbi jdbi;
    private final RawEventPartitions partitions;
    private final CollectorSettings settings;
    private final CollectMetrics metrics;
    private final FairQueue<Pending> queue;
    private final List<Thread> threads = new ArrayList<>();
    /** Answers requests after a commit, so the writer can start the next group while responses are written. */
    private final ExecutorService completions;
    private volatile boolean running = true;

    GroupCommitWriter(Jdbi jdbi, RawEventPartitions partitions, CollectorSettings settings, CollectMetrics metrics) {
        this.jdbi = jdbi;
        this.partitions = partitions;
        this.settings = settings;
        this.metrics = metrics;
        this.queue = new FairQueue<>(settings.queueCapacity(), settings.limits().queueShare(settings.queueCapacity()));
        metrics.queueDepth(queue::size);
        this.completions = Executors.newFixedThreadPool(settings.writerThreads(), new BasicThreadFactory.Builder().namingPattern("collect-respond").daemon(true).build());
        ThreadFactory writers = new BasicThreadFactory.Builder().namingPattern("collect-writer-%d").daemon(true).build();
        for (int i = 0; i < settings.writerThreads(); i++) {
            Thread thread = writers.newThread(this::run);
            thread.start();
            threads.add(thread);
        }
    }

    /** Completes once the batch is committed (or was already), or fails with a drop to answer. */
    CompletableFuture<Outcome> submit(AcceptedBatch batch) {
        var pending = new Pending(EncodedBatch.of(batch), new CompletableFuture<>());
        if (!running) {
            pending.stored.completeExceptionally(Drop.overloaded());
        } else {
            shareQueue(pending);
        }
        return pending.stored;
    }

    /** Queues a batch within its site's share of the queue; a full queue or share is answered 503. */
    private void shareQueue(Pending pending) {
        switch (queue.offer(pending.batch.receipt().siteId(), pending)) {
            case QUEUED -> { }
            case FULL -> pending.stored.completeExceptionally(Drop.overloaded());
            case SITE_FULL -> pending.stored.completeExceptionally(Drop.siteQueueFull());
        }
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
        int events = group.get(0).events();
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
            events += next.events();
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
            IngestTransaction.Result result = storeWithPartitionRetry(done.stream().map(Pending::batch).toList());
            metrics.groupWritten(done.size(), System.nanoTime() - start);
            completions.execute(() -> {
                for (Pending p : done) {
                    BatchReceipt receipt = p.batch.receipt();
                    if (result.stored().remove(receipt.key())) {
                        p.stored.complete(Outcome.STORED);
                    } else if (result.liveSites().contains(receipt.siteId())) {
                        p.stored.complete(Outcome.DUPLICATE);
                    } else {
                        p.stored.completeExceptionally(Drop.unknownSite()); // removed after its key was looked up
                    }
                }
            });
        } catch (RuntimeException e) {
            log.warn("could not store {} batches, answering 503: {}", done.size(), Causes.rootMessage(e));
            Drop drop = Drop.notStored();
            completions.execute(() -> done.forEach(p -> p.stored.completeExceptionally(drop)));
        }
    }

    private IngestTransaction.Result storeWithPartitionRetry(List<EncodedBatch> group) {
        try {
            return storeInTransaction(group);
        } catch (RuntimeException e) {
            if (!MissingPartition.isCause(e)) {
                throw e;
            }
            // A day's partition is missing (a clock jump, or upkeep fell behind): create it and try once more.
            partitions.ensure();
            return storeInTransaction(group);
        }
    }

    private IngestTransaction.Result storeInTransaction(List<EncodedBatch> group) {
        try {
            return jdbi.inTransaction(h -> IngestTransaction.store(h, group));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
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
