package io.isotherm.collector;

import io.isotherm.db.device.DeviceWidths;
import java.time.Duration;

/**
 * The collector's tunables; the launcher fills them from environment variables (see the README's table).
 *
 * @param maxBodyBytes         larger request bodies are refused with 413
 * @param queueCapacity        batches waiting for the writer; beyond it requests get 503
 * @param writerThreads        parallel group-commit writers (each holds one connection while writing)
 * @param lingerMillis         how long a writer waits for more batches before writing a group; 0 (the default) writes
 *                             what queued up during the previous commit at once, which measured fastest here
 * @param maxEventsPerWrite    a group is written once it holds this many events
 * @param requestTimeout       a request not stored by then is answered 503 (it is stored at most once either way)
 * @param retryAfter           the Retry-After sent with 503
 * @param deviceWidths         viewport widths that class visitors as mobile or tablet, unless a site sets its own
 * @param outcomeFlushInterval how often the per-site outcome counts of the installation check are written
 *                             ({@code ingest_outcome}); the dashboard sees a batch this much later at most
 * @param newPagesPerSitePerHour a batch that would create a site's page beyond this many new pages in the last hour
 *                             is refused (403, counted as {@code page_limit})
 * @param limits               rate, plausibility and queue-share limits ({@link CollectLimits})
 */
public record CollectorSettings(int maxBodyBytes, int queueCapacity, int writerThreads, int lingerMillis,
                                int maxEventsPerWrite, Duration requestTimeout, Duration retryAfter, DeviceWidths deviceWidths,
                                Duration outcomeFlushInterval, int newPagesPerSitePerHour, CollectLimits limits) {
    public static final Duration DEFAULT_OUTCOME_FLUSH_INTERVAL = Duration.ofSeconds(5);
    /** Far above what a shop with many product pages adds in an hour; a limit on junk from a public endpoint. */
    public static final int DEFAULT_NEW_PAGES_PER_SITE_PER_HOUR = 1_000;

    public static CollectorSettings defaults() {
        return new CollectorSettings(64 * 1024, 10_000, 2, 0, 20_000, Duration.ofSeconds(10), Duration.ofSeconds(5), DeviceWidths.DEFAULT,
                DEFAULT_OUTCOME_FLUSH_INTERVAL, DEFAULT_NEW_PAGES_PER_SITE_PER_HOUR, CollectLimits.defaults());
    }

    public CollectorSettings {
        if (maxBodyBytes < 1024 || queueCapacity < 1 || writerThreads < 1 || lingerMillis < 0 || maxEventsPerWrite < 1
                || requestTimeout.toMillis() < 100 || retryAfter.isNegative() || outcomeFlushInterval.toMillis() < 10
                || newPagesPerSitePerHour < 1) {
            throw new IllegalArgumentException("collector settings out of range: body >= 1024 bytes, queue, writers and events "
                    + "per write >= 1, linger >= 0 ms, timeout >= 1 s, retry-after >= 0 s, outcome flush interval >= 10 ms, "
                    + "new pages per site and hour >= 1");
        }
    }

    /** With the default outcome flush interval, new-page limit and limits. */
    public CollectorSettings(int maxBodyBytes, int queueCapacity, int writerThreads, int lingerMillis, int maxEventsPerWrite,
                             Duration requestTimeout, Duration retryAfter, DeviceWidths deviceWidths) {
        this(maxBodyBytes, queueCapacity, writerThreads, lingerMillis, maxEventsPerWrite, requestTimeout, retryAfter, deviceWidths,
                DEFAULT_OUTCOME_FLUSH_INTERVAL, DEFAULT_NEW_PAGES_PER_SITE_PER_HOUR, CollectLimits.defaults());
    }

    public CollectorSettings withOutcomeFlushInterval(Duration interval) {
        return new CollectorSettings(maxBodyBytes, queueCapacity, writerThreads, lingerMillis, maxEventsPerWrite, requestTimeout,
                retryAfter, deviceWidths, interval, newPagesPerSitePerHour, limits);
    }

    public CollectorSettings withNewPagesPerSitePerHour(int limit) {
        return new CollectorSettings(maxBodyBytes, queueCapacity, writerThreads, lingerMillis, maxEventsPerWrite, requestTimeout,
                retryAfter, deviceWidths, outcomeFlushInterval, limit, limits);
    }

    public CollectorSettings withLimits(CollectLimits newLimits) {
        return new CollectorSettings(maxBodyBytes, queueCapacity, writerThreads, lingerMillis, maxEventsPerWrite, requestTimeout,
                retryAfter, deviceWidths, outcomeFlushInterval, newPagesPerSitePerHour, newLimits);
    }
}
