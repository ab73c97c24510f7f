package io.isotherm.collector;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class EventCopyEncoderTest {

    private static String timestamp(String instant) {
        var out = new StringBuilder();
        EventCopyEncoder.timestamp(out, Instant.parse(instant));
        return out.toString();
    }

    @Test
    void writes_timestamps_in_utc_with_microseconds() {
        assertThat(timestamp("2026-11-24T10:40:48.283058Z")).isEqualTo("2026-11-24 10:40:48.283058+00");
        assertThat(timestamp("2026-01-02T03:04:05Z")).isEqualTo("2026-01-02 03:04:05.000000+00");
        assertThat(timestamp("2024-02-29T23:59:59.999999999Z")).isEqualTo("2024-02-29 23:59:59.999999+00");
        assertThat(timestamp("1969-12-31T23:59:59.5Z")).isEqualTo("1969-12-31 23:59:59.500000+00");
    }
}
