package io.isotherm.collector;

/** Why a batch was not stored. The HTTP answer is {@code {"error": message, "field": field}} with {@link Reason#status}. */
public final class CollectRejection extends RuntimeException {

    public enum Reason {
        MALFORMED(400), INVALID(400), UNSUPPORTED_MEDIA_TYPE(415), TOO_LARGE(413),
        UNKNOWN_SITE(404), ORIGIN_NOT_ALLOWED(403), OVERLOADED(503), DATABASE_UNAVAILABLE(503);

        public final int status;

        Reason(int status) {
            this.status = status;
        }

        public String metricTag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;
    private final String field;

    public CollectRejection(Reason reason, String message, String field) {
        super(message, null, false, false); // expected outcome: no stack trace to fill or log
        this.reason = reason;
        this.field = field;
    }

    public static CollectRejection invalid(String field, String message) {
        return new CollectRejection(Reason.INVALID, field + " " + message, field);
    }

    public Reason reason() {
        return reason;
    }

    public String field() {
        return field;
    }
}
