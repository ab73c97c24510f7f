package io.isotherm.dashboard;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client error of the dashboard's API: 400 naming the bad parameter, 404 for an unknown site, page or capture,
 * or another 4xx. Thrown anywhere
 * in a request, answered in one place ({@link #respond}). Expected traffic, so it carries no stack trace.
 */
final class ApiError extends RuntimeException {
    private static final Logger log = LoggerFactory.getLogger(ApiError.class);

    private final int status;
    private final String field;

    private ApiError(int status, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    static ApiError badParameter(String field, String message) {
        return new ApiError(400, message, field);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, message, null);
    }

    /** Any other refusal: 409, 413, 415…; {@code field} may be null. */
    static ApiError refused(int status, String field, String message) {
        return new ApiError(status, message, field);
    }

    String field() {
        return field;
    }

    /** {@code {"error": …, "field": …}} with the status; one debug line, no stack trace. */
    void respond(Context ctx) {
        log.debug("{} {} refused ({}): {}", ctx.method(), ctx.path(), status, getMessage());
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", getMessage());
        if (field != null) body.put("field", field);
        ctx.status(status).json(body);
    }
}
