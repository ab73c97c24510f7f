package io.isotherm.grid;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmoothingRuleTest {
    private static final double PAGE = 1440.0 * 3000;

    @Test
    void follows_the_rule_of_thumb_on_a_typical_page() {
        // √(1440·3000 / 12) = 600 px spread; 600 · n^(−1/6) / 8, rounded.
        assertThat(SmoothingRule.sigmaPx(100, PAGE)).isEqualTo(35);
        assertThat(SmoothingRule.sigmaPx(1_000, PAGE)).isEqualTo(24);
        assertThat(SmoothingRule.sigmaPx(10_000, PAGE)).isEqualTo(16);
        assertThat(SmoothingRule.sigmaPx(100_000, PAGE)).isEqualTo(11);
    }

    @Test
    void sparse_pages_are_smoother_and_busy_pages_sharper() {
        int previous = Integer.MAX_VALUE;
        for (long clicks = 1; clicks <= 100_000_000L; clicks *= 10) {
            int sigma = SmoothingRule.sigmaPx(clicks, PAGE);
            assertThat(sigma).as("%d clicks", clicks).isLessThanOrEqualTo(previous);
            previous = sigma;
        }
        assertThat(SmoothingRule.sigmaPx(50, PAGE)).isGreaterThan(SmoothingRule.sigmaPx(50_000, PAGE));
    }

    @Test
    void a_longer_page_with_the_same_clicks_is_smoother() {
        assertThat(SmoothingRule.sigmaPx(1_000, 1440.0 * 12_000)).isGreaterThan(SmoothingRule.sigmaPx(1_000, PAGE));
    }

    @Test
    void stays_within_its_bounds_for_any_amount_of_data() {
        assertThat(SmoothingRule.sigmaPx(0, PAGE)).isEqualTo(SmoothingRule.MAX_PX);
        assertThat(SmoothingRule.sigmaPx(1, 1440.0 * 100_000)).isEqualTo(SmoothingRule.MAX_PX);
        assertThat(SmoothingRule.sigmaPx(Long.MAX_VALUE, PAGE)).isEqualTo(SmoothingRule.MIN_PX);
        assertThat(SmoothingRule.sigmaPx(10, 0)).isEqualTo(SmoothingRule.MIN_PX);
        assertThat(SmoothingRule.sigmaPx(1_000, 390.0 * 800)).isBetween(SmoothingRule.MIN_PX, SmoothingRule.MAX_PX);
    }
}
