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
public final class ApiError extends RuntimeException {
    private static final Logger log = LoggerFactory.getLogger(ApiError.class);

    private final int status;
    private final String field;
    private final String location;
    private final String retryAfter;

    private ApiError(int status, String message, String field) {
        this(status, message, field, null, null);
    }

    private ApiError(int status, String message, String field, String location, String retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
        this.location = location;
        this.retryAfter = retryAfter;
    }

    public static ApiError badParameter(String field, String message) {
        return new ApiError(400, message, field);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, message, null);
    }

    /** Any other refusal: 409, 413, 415…; {@code field} may be null. */
    public static ApiError refused(int status, String field, String message) {
        return new ApiError(status, message, field);
    }

    /** A page that needs a signed-in browser sends it to {@code location} (the sign-in or setup page). */
    public static ApiError redirect(String location) {
        return new ApiError(302, "sign in first", null, location, null);
    }

    /** 429 with {@code Retry-After}. */
    public static ApiError tooManyRequests(long retryAfterSeconds, String message) {
        return new ApiError(429, message, null, null, Long.toString(retryAfterSeconds));
    }

    /** 503 with {@code Retry-After}: a refusal for now, not for this request. */
    public static ApiError unavailable(long retryAfterSeconds, String message) {
        return new ApiError(503, message, null, null, Long.toString(retryAfterSeconds));
    }

    public int status() {
        return status;
    }

    String field() {
        return field;
    }

    /** {@code {"error": …, "field": …}} with the status; one debug line, no stack trace. */
    public void respond(Context ctx) {
        log.debug("{} {} refused ({}): {}", ctx.method(), ctx.path(), status, getMessage());
        if (location != null) ctx.header("Location", location);
        if (retryAfter != null) ctx.header("Retry-After", retryAfter);
        if (status == 401) ctx.header("WWW-Authenticate", "Bearer realm=\"isotherm\"");
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", getMessage());
        if (field != null) body.put("field", field);
        ctx.status(status).json(body);
    }
}
