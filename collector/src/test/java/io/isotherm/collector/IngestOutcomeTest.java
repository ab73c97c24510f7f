package io.isotherm.collector;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IngestOutcomeTest {
    @Test
    void every_refusal_but_an_unknown_site_is_an_outcome_of_the_same_name() {
        for (DropReason reason : DropReason.values()) {
            IngestOutcome outcome = IngestOutcome.of(reason);
            if (reason == DropReason.UNKNOWN_SITE) {
                assertThat(outcome).isNull();
            } else {
                assertThat(outcome.label()).isEqualTo(reason.metricTag());
            }
        }
        assertThat(IngestOutcome.STORED.label()).isEqualTo("stored");
        assertThat(IngestOutcome.RATE_LIMITED.label()).isEqualTo("rate_limited");
    }
}
