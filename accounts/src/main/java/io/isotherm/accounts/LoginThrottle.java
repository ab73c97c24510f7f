package io.isotherm.accounts;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sign-in attempts per account and per client address, as token buckets (Bucket4j): each attempt takes a token, and
 * tokens come back evenly over {@code window}. Kept in this process's memory: each dashboard process counts its own
 * attempts, which bounds guessing to (processes x limit) per window.
 */
public final class LoginThrottle {
    /** Past this many keys the maps are cleared, so a flood of made-up emails cannot fill the heap. */
    private static final int MAX_KEYS = 100_000;

    private final int perAccount;
    private final int perAddress;
    private final Duration window;
    private final Map<String, Bucket> accounts = new ConcurrentHashMap<>();
    private final Map<String, Bucket> addresses = new ConcurrentHashMap<>();

    public LoginThrottle(int perAccount, int perAddress, Duration window) {
        if (perAccount < 1 || perAddress < 1) throw new IllegalArgumentException("login attempt limits must be at least 1");
        this.perAccount = perAccount;
        this.perAddress = perAddress;
        this.window = window;
    }

    /** Takes one attempt for this email and address; empty when allowed, else how long to wait. */
    public Optional<Duration> attempt(String email, String address) {
        String account = email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
        ConsumptionProbe byAddress = bucket(addresses, address == null ? "" : address, perAddress).tryConsumeAndReturnRemaining(1);
        if (!byAddress.isConsumed()) return Optional.of(wait(byAddress));
        ConsumptionProbe byAccount = bucket(accounts, account, perAccount).tryConsumeAndReturnRemaining(1);
        if (!byAccount.isConsumed()) return Optional.of(wait(byAccount));
        return Optional.empty();
    }

    private Bucket bucket(Map<String, Bucket> buckets, String key, int limit) {
        if (buckets.size() > MAX_KEYS) buckets.clear();
        return buckets.computeIfAbsent(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit).refillGreedy(limit, window).build())
                .build());
    }

    private static Duration wait(ConsumptionProbe probe) {
        return Duration.ofNanos(probe.getNanosToWaitForRefill()).plusSeconds(1).withNanos(0);
    }
}
