package io.isotherm.collector;

import io.isotherm.db.Database;
import io.isotherm.db.event.RawEventPartitions;
import io.isotherm.db.page.PageDao;
import io.isotherm.db.site.SiteDao;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The collector role: {@code POST /api/collect} in front of a group-commit writer, plus upkeep of the raw event
 * partitions and the installation check's outcome counts. Holds no state that another collector would need (its
 * counts are added to the database's every few seconds): run as many as the traffic wants.
 */
public final class Collector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Collector.class);

    private final GroupCommitWriter writer;
    private final CollectHandler handler;
    private final DropResponder responder;
    private final TrackerRoute tracker = new TrackerRoute();
    private final ScheduledExecutorService upkeep;
    private final IngestOutcomes outcomes;
    /** Flushes the outcome counts; apart from upkeep, whose partition work may wait on other processes' locks. */
    private final ScheduledExecutorService outcomeFlusher;

    public Collector(Database database, CollectorSettings settings, int partitionDaysAhead, MeterRegistry registry) {
        this(database, settings, partitionDaysAhead, registry, System::nanoTime);
    }

    /** @param nanoTime the rate limits' clock: tests turn it by hand */
    Collector(Database database, CollectorSettings settings, int partitionDaysAhead, MeterRegistry registry, LongSupplier nanoTime) {
        var metrics = new CollectMetrics(registry);
        var partitions = new RawEventPartitions(database.jdbi(), partitionDaysAhead);
        partitions.ensure();
        this.writer = new GroupCommitWriter(database.jdbi(), partitions, settings, metrics);
        this.outcomes = new IngestOutcomes(database.jdbi(), Clock.systemUTC());
        this.responder = new DropResponder(metrics, outcomes, settings.retryAfter());
        this.handler = new CollectHandler(new SiteDirectory(new SiteDao(database.jdbi())),
                new PageDirectory(new PageDao(database.jdbi()), settings.newPagesPerSitePerHour()), writer, settings, metrics, outcomes, responder,
                new StoredReceipts(database.jdbi()), VisitClassifier.standard(), nanoTime);
        this.upkeep = daemonScheduler("collect-partitions");
        this.outcomeFlusher = daemonScheduler("collect-outcomes");
        long flushMillis = settings.outcomeFlushInterval().toMillis();
        outcomeFlusher.scheduleWithFixedDelay(outcomes::flush, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
        outcomeFlusher.scheduleWithFixedDelay(this::pruneOutcomes, 1, 1, TimeUnit.HOURS);
        upkeep.scheduleWithFixedDelay(() -> {
            try {
                int created = partitions.ensure();
                if (created > 0) {
                    log.info("created {} raw_event partitions", created);
                }
            } catch (RuntimeException e) {
                log.warn("could not create raw_event partitions, will retry: {}", e.getMessage());
            }
        }, 1, 1, TimeUnit.HOURS);
    }

    private static ScheduledExecutorService daemonScheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(new BasicThreadFactory.Builder().namingPattern(name).daemon(true).build());
    }

    private void pruneOutcomes() {
        try {
            int deleted = outcomes.prune();
            log.debug("deleted {} ingest outcome counts older than {} days", deleted, IngestOutcomes.KEEP.toDays());
        } catch (RuntimeException e) {
            log.warn("could not delete old ingest outcome counts, will retry: {}", Causes.rootMessage(e));
        }
    }

    /** Writes the outcome counts now; false when the database could not take them (they are kept). For tests. */
    boolean flushOutcomes() {
        return outcomes.flush();
    }

    /** Adds the endpoint, its CORS preflight, the tracker script and the answer to drops to a server's config. */
    public void routes(JavalinConfig config) {
        config.routes.get("/t.js", tracker);
        config.routes.head("/t.js", tracker);
        config.routes.post("/api/collect", handler);
        config.routes.options("/api/collect", Cors::preflight);
        config.routes.exception(Drop.class, (e, ctx) -> responder.respond(ctx, e));
    }

    /** Stops taking batches, stores those already queued, then their outcome counts (the database is closed next). */
    @Override
    public void close() {
        upkeep.shutdownNow();
        writer.close();
        outcomeFlusher.shutdown(); // lets a running flush finish; the next one is this
        try {
            outcomeFlusher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        outcomes.flush();
    }
}
