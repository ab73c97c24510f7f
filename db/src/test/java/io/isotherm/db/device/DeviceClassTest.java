package io.isotherm.db.device;

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
        assertThat(DeviceClass.of(hint.sqlName(), viewportWidth, WIDE_PHONES)).isEqualTo(hint);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "null, null, 768, 1024",   // the platform's
            "500, 900, 500, 900",      // the site's own
            "500, null, 500, 1024",
            "null, 900, 768, 900",
            "1100, null, 1100, 1100",  // the site's phones reach beyond the platform's tablets: no tablets
            "null, 700, 700, 700",     // the site's tablets end below the platform's phones: no tablets
            "900, 500, 768, 1024"})    // contradicting each other (the site table refuses this): the platform's
    void a_sites_own_widths_override_the_platforms(Integer mobileBelow, Integer tabletBelow, int mobile, int tablet) {
        assertThat(DeviceWidths.DEFAULT.forSite(mobileBelow, tabletBelow)).isEqualTo(new DeviceWidths(mobile, tablet));
    }
}
