package io.isotherm.collector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The collector's one mapping from a rejection to its answer: {@code {"error": …, "field": …}} and the status. */
final class RejectionResponder {
    private static final Logger log = LoggerFactory.getLogger(RejectionResponder.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CollectMetrics metrics;
    private final String retryAfterSeconds;

    RejectionResponder(CollectMetrics metrics, Duration retryAfter) {
        this.metrics = metrics;
        this.retryAfterSeconds = Long.toString(Math.max(1, retryAfter.toSeconds()));
    }

    void respond(Context ctx, CollectRejection rejection) {
        metrics.rejected(rejection.reason());
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
