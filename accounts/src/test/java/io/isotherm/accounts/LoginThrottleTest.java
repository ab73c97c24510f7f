package io.isotherm.accounts;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoginThrottleTest {
    private static final Duration WINDOW = Duration.ofHours(1); // long enough that nothing refills during a test

    @Test
    void allows_the_first_attempts_for_an_email_and_refuses_the_next_with_a_positive_wait() {
        LoginThrottle throttle = new LoginThrottle(3, 100, WINDOW);

        for (int i = 0; i < 3; i++) assertThat(throttle.attempt("ana@example.com", "10.0.0.1")).as("attempt " + (i + 1)).isEmpty();
        Optional<Duration> refused = throttle.attempt("ana@example.com", "10.0.0.1");

        assertThat(refused).hasValueSatisfying(wait -> assertThat(wait)
                .isPositive()
                .isLessThanOrEqualTo(WINDOW.plusSeconds(1)));
        assertThat(refused.orElseThrow().getNano()).as("whole seconds").isZero();
    }

    @Test
    void keeps_refusing_an_email_from_any_address_and_in_any_case() {
        LoginThrottle throttle = new LoginThrottle(2, 100, WINDOW);
        throttle.attempt("ana@example.com", "10.0.0.1");
        throttle.attempt("ana@example.com", "10.0.0.2");

        assertThat(throttle.attempt("ana@example.com", "10.0.0.3")).isPresent();
        assertThat(throttle.attempt(" ANA@Example.com ", "10.0.0.4")).isPresent();
    }

    @Test
    void lets_other_emails_from_the_same_address_through_until_the_address_limit_which_then_refuses_them_too() {
        LoginThrottle throttle = new LoginThrottle(3, 10, WINDOW);
        for (int i = 0; i < 3; i++) assertThat(throttle.attempt("ana@example.com", "10.0.0.1")).isEmpty();
        assertThat(throttle.attempt("ana@example.com", "10.0.0.1")).isPresent(); // the address counts this attempt too

        // 4 of the address's 10 attempts are taken: 6 more pass, for emails of their own
        for (int i = 0; i < 6; i++) {
            assertThat(throttle.attempt("user" + i + "@example.com", "10.0.0.1")).as("other email " + i).isEmpty();
        }
        assertThat(throttle.attempt("fresh@example.com", "10.0.0.1")).hasValueSatisfying(wait -> assertThat(wait).isPositive());
        assertThat(throttle.attempt("another@example.com", "10.0.0.1")).isPresent();

        // another address is not held back, nor are the emails the full address never got to try
        assertThat(throttle.attempt("fresh@example.com", "10.0.0.2")).isEmpty();
    }

    @Test
    void counts_each_address_on_its_own() {
        LoginThrottle throttle = new LoginThrottle(100, 2, WINDOW);
        assertThat(throttle.attempt("a@example.com", "10.0.0.1")).isEmpty();
        assertThat(throttle.attempt("b@example.com", "10.0.0.1")).isEmpty();
        assertThat(throttle.attempt("c@example.com", "10.0.0.1")).isPresent();

        assertThat(throttle.attempt("c@example.com", "10.0.0.2")).isEmpty();
        assertThat(throttle.attempt("d@example.com", "10.0.0.2")).isEmpty();
        assertThat(throttle.attempt("e@example.com", "10.0.0.2")).isPresent();
    }

    @Test
    void refuses_limits_below_one() {
        assertThatThrownBy(() -> new LoginThrottle(0, 10, WINDOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoginThrottle(5, 0, WINDOW)).isInstanceOf(IllegalArgumentException.class);
    }
}
