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
    /** For {@link Reason#INVALID}: the message without the field's name, so {@link #inside} can rename the field. */
    private final String problem;
    /** What the installation check shows next to the count: for {@link Reason#ORIGIN_NOT_ALLOWED}, the origin. */
    private final String detail;

    public CollectRejection(Reason reason, String message, String field) {
        this(reason, message, field, null, null);
    }

    private CollectRejection(Reason reason, String message, String field, String problem, String detail) {
        super(message, null, false, false); // expected outcome: no stack trace to fill or log
        this.reason = reason;
        this.field = field;
        this.problem = problem;
        this.detail = detail;
    }

    public static CollectRejection invalid(String field, String problem) {
        return new CollectRejection(Reason.INVALID, field + " " + problem, field, problem, null);
    }

    /** A refused origin: {@code field} says where it came from (the Origin header or the page's url). */
    static CollectRejection originNotAllowed(String message, String field, String origin) {
        return new CollectRejection(Reason.ORIGIN_NOT_ALLOWED, message, field, null, origin);
    }

    /**
     * The same rejection for a field of a nested object: {@code x} inside {@code events[3]} is {@code events[3].x}.
     * Paths are built only when something is wrong, not for every field of every valid event.
     */
    CollectRejection inside(String parent) {
        return problem == null ? this : invalid(parent + "." + field, problem);
    }

    public Reason reason() {
        return reason;
    }

    public String field() {
        return field;
    }

    /** The refused origin, or "" for other rejections. */
    public String detail() {
        return detail == null ? "" : detail;
    }
}
