package io.isotherm.collector;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One rate limit, as a token bucket (Bucket4j) per key: {@code perSecond} tokens come back each second, up to
 * {@code burst}. Buckets live in this process's memory only, in a bounded cache: a bucket unused for as long as it
 * takes to refill is full again, so it is simply forgotten then (and a new one made when the key comes back).
 * With {@code perSecond} 0 the limit is off. A refused request is told to come back once a token is there, but not
 * sooner than {@code minRetryAfter}: clients over a limit should not all return within the same second.
 */
final class RateLimiter<K> {
    private final String name;
    private final String allowed;
    private final Bandwidth bandwidth;
    private final Cache<K, Bucket> buckets;
    private final Duration minRetryAfter;
    private final TimeMeter time;

    /**
     * @param name    names the limit in answers and counts, e.g. {@code batches per address}
     * @param unit    what is counted, e.g. {@code batches}
     * @param per     whose, e.g. {@code client address}
     * @param maxKeys buckets kept at most; past that the least used are forgotten first
     * @param nanoTime the clock of refills and expiry, {@link System#nanoTime} but in tests
     */
    RateLimiter(String name, String unit, String per, int perSecond, int burst, int maxKeys, Duration minRetryAfter,
                LongSupplier nanoTime) {
        this.name = name;
        this.minRetryAfter = minRetryAfter;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanoTime.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
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
                .ticker(nanoTime::getAsLong)
                .build();
    }

    /** Takes one token for {@code key}, or throws a {@link DropReason#RATE_LIMITED} drop saying when to come back. */
    void take(K key) {
        if (buckets == null) {
            return;
        }
        ConsumptionProbe probe = buckets.get(key, k -> Bucket.builder().addLimit(bandwidth).withCustomTimePrecision(time).build()).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            Duration refill = Duration.ofNanos(probe.getNanosToWaitForRefill());
            throw Drop.rateLimited(name, allowed, refill.compareTo(minRetryAfter) > 0 ? refill : minRetryAfter);
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
