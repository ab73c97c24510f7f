package io.isotherm.collector;

import java.util.Locale;

/**
 * What became of a batch, as counted per site and minute in {@code ingest_outcome.outcome} for the installation
 * check. The drops carry the name of their {@link DropReason#metricTag()}; an unknown site has no site to count it
 * for, so it has no outcome here.
 */
enum IngestOutcome {
    STORED, DUPLICATE, BOT, EXCLUDED,
    ORIGIN_NOT_ALLOWED, INVALID, MALFORMED, TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, OVERLOADED, DATABASE_UNAVAILABLE,
    RATE_LIMITED, IMPLAUSIBLE, PAGE_LIMIT;

    /** The value stored in {@code ingest_outcome.outcome}: {@code stored}, {@code origin_not_allowed}, … */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome a drop is counted as, or null for {@link DropReason#UNKNOWN_SITE}. */
    static IngestOutcome of(DropReason reason) {
        return reason == DropReason.UNKNOWN_SITE ? null : valueOf(reason.name());
    }
}
