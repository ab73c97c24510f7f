package io.isotherm.collector;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RateLimiterTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void allows_the_burst_then_the_rate_and_says_when_to_come_back() {
        var limiter = new RateLimiter<String>("batches per address", "batches", "client address", 2, 4, 100, Duration.ZERO, clock);
        for (int i = 0; i < 4; i++) limiter.take("a");
        Drop refused = catchThrowableOfType(() -> limiter.take("a"), Drop.class);
        assertThat(refused.reason()).isEqualTo(DropReason.RATE_LIMITED);
        assertThat(refused.detail()).isEqualTo("batches per address");
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(1)); // half a second, rounded up
        limiter.take("b"); // another key has its own bucket

        clock.advance(Duration.ofMillis(500));
        limiter.take("a");
        assertThatThrownBy(() -> limiter.take("a")).isInstanceOf(Drop.class);
    }

    @Test
    void asks_for_at_least_the_least_retry_after() {
        var limiter = new RateLimiter<String>("batches per site", "batches", "site", 100, 100, 100, Duration.ofSeconds(5), clock);
        for (int i = 0; i < 100; i++) limiter.take("site");
        assertThat(catchThrowableOfType(() -> limiter.take("site"), Drop.class).retryAfter()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void keeps_at_most_max_keys_buckets_and_forgets_those_that_would_be_full_again() {
        var limiter = new RateLimiter<String>("batches per address", "batches", "client address", 1, 3, 1000, Duration.ZERO, clock);
        for (int i = 0; i < 5000; i++) limiter.take("10.0." + (i / 256) + "." + (i % 256));
        assertThat(limiter.size()).isLessThanOrEqualTo(1000);

        clock.advance(Duration.ofSeconds(4)); // 3 tokens refill in 3 s: every bucket is full again
        assertThat(limiter.size()).isZero();
    }

    @Test
    void a_rate_of_zero_limits_nothing_and_keeps_nothing() {
        var limiter = new RateLimiter<String>("batches per address", "batches", "client address", 0, 0, 10, Duration.ZERO, clock);
        for (int i = 0; i < 1000; i++) limiter.take("a");
        assertThat(limiter.size()).isZero();
    }
}
