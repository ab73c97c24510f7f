package io.isotherm.collector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isotherm.db.site.Site;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The collector's one mapping from a {@link Drop} to its answer: 204 for a quiet drop, else
 * {@code {"error": …, "field": …}} (or {@code "limit"} for a limit) and the status. It also counts the drop, in the metrics and, when the request
 * was {@linkplain #attributeTo attributed} to a site, for the installation check.
 */
final class DropResponder {
    private static final Logger log = LoggerFactory.getLogger(DropResponder.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SITE_ATTRIBUTE = "isotherm.collect.site";

    private final CollectMetrics metrics;
    private final IngestOutcomes outcomes;
    private final String retryAfterSeconds;

    DropResponder(CollectMetrics metrics, IngestOutcomes outcomes, Duration retryAfter) {
        this.metrics = metrics;
        this.outcomes = outcomes;
        this.retryAfterSeconds = Long.toString(Math.max(1, retryAfter.toSeconds()));
    }

    /** A drop of this request is counted for this site from now on; null (no site found) changes nothing. */
    static void attributeTo(Context ctx, Site site) {
        if (site != null) {
            ctx.attribute(SITE_ATTRIBUTE, site);
        }
    }

    void respond(Context ctx, Drop drop) {
        DropReason reason = drop.reason();
        metrics.dropped(reason);
        Site site = ctx.attribute(SITE_ATTRIBUTE);
        if (site != null) {
            outcomes.dropped(site.id(), drop);
        }
        Cors.allow(ctx);
        if (!reason.refused()) {
            ctx.status(reason.status);
            return;
        }
        if (reason.retryLater()) { // the tracker waits this long before it sends the batch again
            ctx.header("Retry-After", drop.retryAfter() == null ? retryAfterSeconds : Long.toString(drop.retryAfter().toSeconds()));
        }
        // Client errors are expected traffic: one debug line, no stack trace.
        log.debug("collect refused ({}): {}", reason.metricTag(), drop.getMessage());
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", drop.getMessage());
        if (drop.field() != null) {
            body.put("field", drop.field());
        }
        if (reason == DropReason.RATE_LIMITED || reason == DropReason.IMPLAUSIBLE) {
            body.put("limit", drop.detail());
        }
        try {
            ctx.status(reason.status).contentType("application/json").result(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
