package io.isotherm.collector;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceClassTest {
    private static final DeviceWidths WIDE_PHONES = new DeviceWidths(600, 1200);

    @ParameterizedTest
    @CsvSource({"599, MOBILE", "600, TABLET", "1024, TABLET", "1199, TABLET", "1200, DESKTOP"})
    void configured_widths_decide_without_a_hint(int viewportWidth, DeviceClass expected) {
        assertThat(DeviceClass.of(null, viewportWidth, WIDE_PHONES)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"700, MOBILE", "700, TABLET", "1300, DESKTOP"})
    void the_trackers_hint_still_wins(int viewportWidth, DeviceClass hint) {
        assertThat(DeviceClass.of(hint.sql(), viewportWidth, WIDE_PHONES)).isEqualTo(hint);
    }
}
