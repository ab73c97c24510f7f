package io.isotherm.collector;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * What a real visitor's page view can hold, checked after a batch is valid and before it gets a page: at most
 * {@code maxEventsPerPageview} events over the page view's life, and at most so many new page views per second from
 * one address. The events stored so far are counted per page view in memory (nothing new is stored): a page view
 * unseen for {@link #IDLE} is forgotten, and so are the least used ones past {@link #MAX_PAGEVIEWS}; a forgotten
 * page view that comes back starts counting again, as a new one. Each collector process counts its own. A batch
 * over the limit that is stored already (a resend whose first answer was lost) is let through: the writer answers
 * it as the duplicate it is.
 */
final class PageviewLimits {
    /** Longer than the tracker keeps retrying a batch with backoff while a page stays open without events. */
    static final Duration IDLE = Duration.ofMinutes(30);
    /** Page views remembered at most; each takes about 150 bytes. */
    static final int MAX_PAGEVIEWS = 200_000;

    private record Key(int siteId, UUID pageview) {
    }

    private final int maxEvents;
    private final boolean off;
    private final Predicate<BatchReceipt.Key> alreadyStored;
    private final RateLimiter<String> newPerAddress;
    /** Events stored per page view; present (maybe 0) once a batch of it got past {@link #check}. */
    private final Cache<Key, AtomicInteger> events;

    /** @param retryAfter the least {@code Retry-After} of a refusal */
    PageviewLimits(CollectLimits limits, Duration retryAfter, LongSupplier nanoTime, Predicate<BatchReceipt.Key> alreadyStored) {
        this.maxEvents = limits.maxEventsPerPageview();
        this.alreadyStored = alreadyStored;
        this.off = maxEvents == 0 && limits.pageviewsPerSecondPerAddress() == 0;
        this.newPerAddress = new RateLimiter<>("new page views per address", "new page views", "client address",
                limits.pageviewsPerSecondPerAddress(), limits.pageviewBurstPerAddress(), RateLimits.MAX_ADDRESSES, retryAfter, nanoTime);
        this.events = Caffeine.newBuilder().maximumSize(MAX_PAGEVIEWS).expireAfterAccess(IDLE).ticker(nanoTime::getAsLong).build();
    }

    /** Throws a drop when the batch would start one page view too many for its address, or overfill its page view. */
    void check(ValidBatch batch, String address) {
        if (off) {
            return;
        }
        Key key = new Key(batch.siteId(), batch.pageviewId());
        AtomicInteger stored = events.getIfPresent(key);
        if (stored == null) {
            newPerAddress.take(address);
            stored = events.get(key, k -> new AtomicInteger());
        }
        if (maxEvents > 0 && stored.get() + batch.events().size() > maxEvents
                && !alreadyStored.test(new BatchReceipt.Key(batch.siteId(), batch.pageviewId(), batch.seq()))) {
            throw Drop.implausible("events per pageview", "a page view holds at most " + maxEvents
                    + " events; this one has " + stored.get() + " and the batch " + batch.events().size() + " more");
        }
    }

    /** Counts a stored batch's events for its page view (a redelivered one is not counted again). */
    void stored(BatchReceipt receipt) {
        if (off) {
            return;
        }
        AtomicInteger stored = events.get(new Key(receipt.siteId(), receipt.pageviewId()), k -> new AtomicInteger());
        stored.addAndGet(receipt.eventCount());
    }

    /** Page views held now. */
    long pageviews() {
        events.cleanUp();
        return events.estimatedSize();
    }
}
