package io.isotherm.collector;

import java.time.Duration;

/**
 * A batch dropped by one of the ingest steps, and why. Thrown by the step and answered once by
 * {@link DropResponder}: 204 for a quiet drop, else {@code {"error": message, "field": field}} with
 * {@link DropReason#status}. Every message the collector answers with is made here.
 */
public final class Drop extends RuntimeException {
    private final DropReason reason;
    private final String field;
    /** For {@link DropReason#INVALID}: the message without the field's name, so {@link #inside} can rename the field. */
    private final String problem;
    /**
     * What the installation check shows next to the count: for {@link DropReason#ORIGIN_NOT_ALLOWED}, the origin; for
     * {@link DropReason#RATE_LIMITED} and {@link DropReason#IMPLAUSIBLE}, which limit.
     */
    private final String detail;
    /** For a rate limit: when the client may try again; else null, and the collector's usual Retry-After applies. */
    private final Duration retryAfter;

    private Drop(DropReason reason, String message, String field, String problem, String detail, Duration retryAfter) {
        super(message, null, false, false); // expected outcome: no stack trace to fill or log
        this.reason = reason;
        this.field = field;
        this.problem = problem;
        this.detail = detail;
        this.retryAfter = retryAfter;
    }

    private Drop(DropReason reason, String message, String field, String problem, String detail) {
        this(reason, message, field, problem, detail, null);
    }

    private Drop(DropReason reason, String message, String field) {
        this(reason, message, field, null, null);
    }

    static Drop bot() {
        return new Drop(DropReason.BOT, "a known bot", null);
    }

    static Drop excluded() {
        return new Drop(DropReason.EXCLUDED, "the page is on an excluded path of its site", null);
    }

    static Drop malformed(String message) {
        return new Drop(DropReason.MALFORMED, message, null);
    }

    /** A field that breaks a rule: the message is {@code field + " " + problem}. */
    static Drop invalid(String field, String problem) {
        return new Drop(DropReason.INVALID, field + " " + problem, field, problem, null);
    }

    static Drop unsupportedMediaType() {
        return new Drop(DropReason.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be text/plain or application/json", null);
    }

    static Drop tooLarge(int maxBytes) {
        return new Drop(DropReason.TOO_LARGE, "request body exceeds " + maxBytes + " bytes", null);
    }

    static Drop unknownSite() {
        return new Drop(DropReason.UNKNOWN_SITE, "no site has this key", "site");
    }

    /** A refused origin: {@code field} says where it came from (the Origin header or the page's url). */
    static Drop originNotAllowed(String message, String field, String origin) {
        return new Drop(DropReason.ORIGIN_NOT_ALLOWED, message, field, null, origin);
    }

    static Drop pageLimit(int maxNewPagesPerHour) {
        return new Drop(DropReason.PAGE_LIMIT, "url would be a new page beyond this site's limit of " + maxNewPagesPerHour
                + " new pages per hour", "url");
    }

    static Drop overloaded() {
        return new Drop(DropReason.OVERLOADED, "the collector is busy; retry later", null);
    }

    /** The site's batches already fill its share of the writer queue: others still get in. */
    static Drop siteQueueFull() {
        return new Drop(DropReason.OVERLOADED, "the collector is busy with this site's batches; retry later", null);
    }

    /**
     * Over a rate limit. {@code limit} names it ("batches per address"), also in the installation check; the message
     * says how much is allowed and when to come back.
     */
    static Drop rateLimited(String limit, String allowed, Duration retryAfter) {
        long seconds = retryAfterSeconds(retryAfter);
        return new Drop(DropReason.RATE_LIMITED, "rate limit of " + allowed + " exceeded; retry after " + seconds + " s",
                null, null, limit, Duration.ofSeconds(seconds));
    }

    /** More than a page view can plausibly hold; {@code limit} names the rule. */
    static Drop implausible(String limit, String message) {
        return new Drop(DropReason.IMPLAUSIBLE, message, null, null, limit);
    }

    /** Whole seconds, rounded up, at least 1: what {@code Retry-After} can say. */
    static long retryAfterSeconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    static Drop databaseUnavailable() {
        return new Drop(DropReason.DATABASE_UNAVAILABLE, "the database is unavailable; retry later", null);
    }

    static Drop notStored() {
        return new Drop(DropReason.DATABASE_UNAVAILABLE, "events could not be stored; retry later", null);
    }

    static Drop storingTimedOut() {
        return new Drop(DropReason.DATABASE_UNAVAILABLE, "storing took too long; retry later", null);
    }

    /**
     * The same drop for a field of a nested object: {@code x} inside {@code events[3]} is {@code events[3].x}.
     * Paths are built only when something is wrong, not for every field of every valid event.
     */
    Drop inside(String parent) {
        return problem == null ? this : invalid(parent + "." + field, problem);
    }

    public DropReason reason() {
        return reason;
    }

    public String field() {
        return field;
    }

    /** The refused origin, the limit a batch broke, or "" for other drops. */
    public String detail() {
        return detail == null ? "" : detail;
    }

    /** When to try again, for a rate limit; null for other drops. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
