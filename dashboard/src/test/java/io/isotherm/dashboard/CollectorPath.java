package io.isotherm.dashboard;

import io.isotherm.db.Columns;
import io.isotherm.db.site.Site;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToLongFunction;

/**
 * The collector's own ingest, for the migration fixtures' recorders: {@code POST /api/collect} bodies go through the
 * collector's steps and group-commit transaction ({@code DirectIngest}, {@code IngestTransaction}, as the bench's
 * CopyCeiling does), which take the receive time, so the days lie in the past. The dashboard module does not depend on
 * the collector, so they are reached by reflection, and the collector's classes must be on the class path when a
 * recorder runs ({@link V11FixtureRecorder} shows the command line).
 */
final class CollectorPath {
    /** A body as a browser sends it, with the browser's user agent, and when the collector receives it. */
    record Sent(String userAgent, byte[] body, UUID pageview, int seq, Instant receivedAt) {}

    private static final int BATCHES_PER_TRANSACTION = 40;

    private final String origin;
    private final Method encode;
    private final Method store;

    /** @param origin the {@code Origin} header every batch comes with */
    CollectorPath(String origin) throws ReflectiveOperationException {
        this.origin = origin;
        encode = Class.forName("io.isotherm.collector.DirectIngest")
                .getMethod("encode", String.class, String.class, byte[].class, Site.class, ToLongFunction.class, Instant.class);
        store = Class.forName("io.isotherm.collector.IngestTransaction").getMethod("store", Handle.class, List.class);
    }

    /** Stores the batches in group commits of a few dozen, as the collector's writers do; answers how many were new. */
    int ingest(Jdbi jdbi, Site site, Map<String, Long> pageIds, List<Sent> batches) throws Exception {
        List<Object> encoded = new ArrayList<>();
        for (Sent b : batches) {
            ToLongFunction<String> ids = url -> pageIds.get(url);
            encoded.add(invoke(encode, b.userAgent(), origin, b.body(), site, ids, b.receivedAt()));
        }
        int stored = 0;
        for (int i = 0; i < encoded.size(); i += BATCHES_PER_TRANSACTION) {
            int from = i, to = Math.min(encoded.size(), i + BATCHES_PER_TRANSACTION);
            stored += jdbi.inTransaction(h -> {
                Object result = invoke(store, h, encoded.subList(from, to));
                // A receipt is stamped with its transaction's now(); these batches were received days ago, and the
                // aggregator reads a batch's events no further back than 24 h before its receipt.
                Columns received = new Columns("site", Integer.class, "pageview", UUID.class, "seq", Integer.class,
                        "at", String.class);
                batches.subList(from, to).forEach(b -> received.add(site.id(), b.pageview(), b.seq(), b.receivedAt().toString()));
                received.bind(h.createUpdate("""
                                UPDATE ingest_batch i SET received_at = r.at::timestamptz
                                FROM unnest(:site, :pageview, :seq, :at) AS r(site, pageview, seq, at)
                                WHERE i.site_id = r.site AND i.pageview_id = r.pageview AND i.seq = r.seq"""))
                        .execute();
                return ((Set<?>) result.getClass().getMethod("stored").invoke(result)).size();
            });
        }
        return stored;
    }

    private static Object invoke(Method m, Object... args) throws Exception {
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
