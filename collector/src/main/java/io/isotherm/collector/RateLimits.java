package io.isotherm.collector;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The batch rate limits, checked once a batch's site is known and before anything is validated or stored: per client
 * address ({@link ClientAddress}), then per site. Each collector process counts its own requests.
 */
final class RateLimits {
    /** Addresses remembered at most; a bucket takes a few hundred bytes. */
    static final int MAX_ADDRESSES = 100_000;
    static final int MAX_SITES = 100_000;

    private final RateLimiter<String> perAddress;
    private final RateLimiter<Integer> perSite;

    /** @param retryAfter the least {@code Retry-After} of a refusal */
    RateLimits(CollectLimits limits, Duration retryAfter, LongSupplier nanoTime) {
        this.perAddress = new RateLimiter<>("batches per address", "batches", "client address",
                limits.batchesPerSecondPerAddress(), limits.batchBurstPerAddress(), MAX_ADDRESSES, retryAfter, nanoTime);
        this.perSite = new RateLimiter<>("batches per site", "batches", "site",
                limits.batchesPerSecondPerSite(), limits.batchBurstPerSite(), MAX_SITES, retryAfter, nanoTime);
    }

    /** Takes one batch from the address's allowance and then the site's, or throws a rate-limited drop. */
    void take(String address, int siteId) {
        perAddress.take(address);
        perSite.take(siteId);
    }

    /** Address buckets held now. */
    long addresses() {
        return perAddress.size();
    }
}
