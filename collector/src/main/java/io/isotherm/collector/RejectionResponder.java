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
 * The collector's one mapping from a rejection to its answer: {@code {"error": …, "field": …}} and the status. It
 * also counts the rejection for the installation check when the request was {@linkplain #attributeTo attributed}
 * to a site.
 */
final class RejectionResponder {
    private static final Logger log = LoggerFactory.getLogger(RejectionResponder.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SITE_ATTRIBUTE = "isotherm.collect.site";

    private final CollectMetrics metrics;
    private final IngestOutcomes outcomes;
    private final String retryAfterSeconds;

    RejectionResponder(CollectMetrics metrics, IngestOutcomes outcomes, Duration retryAfter) {
        this.metrics = metrics;
        this.outcomes = outcomes;
        this.retryAfterSeconds = Long.toString(Math.max(1, retryAfter.toSeconds()));
    }

    /** A refusal of this request is counted for this site from now on; null (no site found) changes nothing. */
    static void attributeTo(Context ctx, Site site) {
        if (site != null) {
            ctx.attribute(SITE_ATTRIBUTE, site);
        }
    }

    void respond(Context ctx, CollectRejection rejection) {
        metrics.rejected(rejection.reason());
        Site site = ctx.attribute(SITE_ATTRIBUTE);
        if (site != null) {
            outcomes.refused(site.id(), rejection);
        }
        Cors.allow(ctx);
        if (rejection.reason().status == 503) {
            ctx.header("Retry-After", retryAfterSeconds); // the tracker backs off at least this long
        }
        // Client errors are expected traffic: one debug line, no stack trace.
        log.debug("collect refused ({}): {}", rejection.reason().metricTag(), rejection.getMessage());
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", rejection.getMessage());
        if (rejection.field() != null) {
            body.put("field", rejection.field());
        }
        try {
            ctx.status(rejection.reason().status).contentType("application/json").result(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
