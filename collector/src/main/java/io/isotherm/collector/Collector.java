package io.isotherm.collector;

import io.isotherm.db.Database;
import io.isotherm.db.event.RawEventPartitions;
import io.isotherm.db.page.PageDao;
import io.isotherm.db.site.SiteDao;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The collector role: {@code POST /api/collect} in front of a group-commit writer, plus upkeep of the raw event
 * partitions. Holds no state that another collector would need: run as many as the traffic wants.
 */
public final class Collector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Collector.class);

    private final GroupCommitWriter writer;
    private final CollectHandler handler;
    private final RejectionResponder responder;
    private final TrackerRoute tracker = new TrackerRoute();
    private final ScheduledExecutorService upkeep;

    public Collector(Database database, CollectorSettings settings, int partitionDaysAhead, MeterRegistry registry) {
        var metrics = new CollectMetrics(registry);
        var partitions = new RawEventPartitions(database.jdbi(), partitionDaysAhead);
        partitions.ensure();
        this.writer = new GroupCommitWriter(database.jdbi(), partitions, settings, metrics);
        this.responder = new RejectionResponder(metrics, settings.retryAfter());
        this.handler = new CollectHandler(new SiteDirectory(new SiteDao(database.jdbi())),
                new PageDirectory(new PageDao(database.jdbi())), writer, settings, metrics, responder);
        this.upkeep = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "collect-partitions");
            t.setDaemon(true);
            return t;
        });
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

    /** Adds the endpoint, its CORS preflight, the tracker script and the rejection mapping to a server's config. */
    public void routes(JavalinConfig config) {
        config.routes.get("/t.js", tracker);
        config.routes.post("/api/collect", handler);
        config.routes.options("/api/collect", Cors::preflight);
        config.routes.exception(CollectRejection.class, (e, ctx) -> responder.respond(ctx, e));
    }

    /** Stops taking batches and stores those already queued. */
    @Override
    public void close() {
        upkeep.shutdownNow();
        writer.close();
    }
}
