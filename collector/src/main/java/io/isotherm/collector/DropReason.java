package io.isotherm.collector;

import java.util.Locale;

/**
 * Every way a batch can end without being stored. Bots and excluded pages are dropped quietly: 204, so the tracker
 * does not send them again. The rest are refused with an error status; the tracker retries the 429s and 503s
 * (after their {@code Retry-After}).
 */
public enum DropReason {
    BOT(204), EXCLUDED(204),
    MALFORMED(400), INVALID(400), UNSUPPORTED_MEDIA_TYPE(415), TOO_LARGE(413),
    UNKNOWN_SITE(404), ORIGIN_NOT_ALLOWED(403), OVERLOADED(503), DATABASE_UNAVAILABLE(503),
    /** A new page beyond the site's hourly limit: final, so a tracker does not keep retrying it (docs/COLLECT-API.md). */
    PAGE_LIMIT(403),
    /** Over a rate limit ({@link RateLimits}, {@link PageviewLimits}): retried later, nothing stored meanwhile. */
    RATE_LIMITED(429),
    /** Valid, but not what a real visitor's browser sends (more events in a page view than anyone makes): not retried. */
    IMPLAUSIBLE(422);

    public final int status;

    DropReason(int status) {
        this.status = status;
    }

    /** Answered with an error (and counted in {@code isotherm.collect.batches.rejected}) rather than dropped quietly. */
    public boolean refused() {
        return status != 204;
    }

    /** Answered with {@code Retry-After}: the same batch may be sent again later and will then be taken. */
    public boolean retryLater() {
        return status == 429 || status == 503;
    }

    /** {@code bot}, {@code origin_not_allowed}, …: the reason's name in metrics and in the installation check. */
    public String metricTag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
