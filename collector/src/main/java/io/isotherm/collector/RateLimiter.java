package io.isotherm.collector;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;

/**
 * One rate limit, as a token bucket (Bucket4j) per key: {@code perSecond} tokens come back each second, up to
 * {@code burst}. Buckets live in this process's memory only, in a bounded cache: a bucket unused for as long as it
 * takes to refill is full again, so it is simply forgotten then (and a new one made when the key comes back).
 * With {@code perSecond} 0 the limit is off.
 */
final class RateLimiter<K> {
    private final String name;
    private final String allowed;
    private final Bandwidth bandwidth;
    private final Cache<K, Bucket> buckets;

    /**
     * @param name    names the limit in answers and counts, e.g. {@code batches per address}
     * @param unit    what is counted, e.g. {@code batches}
     * @param per     whose, e.g. {@code client address}
     * @param maxKeys buckets kept at most; past that the least used are forgotten first
     */
    RateLimiter(String name, String unit, String per, int perSecond, int burst, int maxKeys) {
        this.name = name;
        this.allowed = perSecond + " " + unit + " per second (" + burst + " at once) per " + per;
        if (perSecond == 0) {
            this.bandwidth = null;
            this.buckets = null;
            return;
        }
        this.bandwidth = Bandwidth.builder().capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)).build();
        long refillMillis = Math.max(1000, 1000L * burst / perSecond + 1000);
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(Duration.ofMillis(refillMillis))
                .build();
    }

    /** Takes one token for {@code key}, or throws a {@link DropReason#RATE_LIMITED} drop saying when to come back. */
    void take(K key) {
        if (buckets == null) {
            return;
        }
        ConsumptionProbe probe = buckets.get(key, k -> Bucket.builder().addLimit(bandwidth).build()).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw Drop.rateLimited(name, allowed, Duration.ofNanos(probe.getNanosToWaitForRefill()));
        }
    }

    /** Buckets held now (after pending expiries); for tests of the memory bound. */
    long size() {
        if (buckets == null) {
            return 0;
        }
        buckets.cleanUp();
        return buckets.estimatedSize();
    }
}
