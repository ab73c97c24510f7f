package io.isotherm.db.segment;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CountriesTest {
    @Test
    void zonesNameTheirCountry() {
        assertThat(Countries.ofZone("Europe/Paris")).isEqualTo("FR");
        assertThat(Countries.ofZone("America/New_York")).isEqualTo("US");
        assertThat(Countries.ofZone("America/Sao_Paulo")).isEqualTo("BR");
        assertThat(Countries.ofZone("Asia/Tokyo")).isEqualTo("JP");
        assertThat(Countries.ofZone("Australia/Sydney")).isEqualTo("AU");
        assertThat(Countries.ofZone("Africa/Nairobi")).isEqualTo("KE");
    }

    @Test
    void linksAndOldNamesToo() {
        assertThat(Countries.ofZone("US/Eastern")).isEqualTo("US");
        assertThat(Countries.ofZone("Asia/Calcutta")).isEqualTo("IN");
        assertThat(Countries.ofZone("Europe/Kiev")).isEqualTo("UA");
    }

    @Test
    void zonesOfNoCountryAndUnknownNamesHaveNone() {
        assertThat(Countries.ofZone("UTC")).isEqualTo(Countries.UNKNOWN);
        assertThat(Countries.ofZone("Etc/GMT+5")).isEqualTo(Countries.UNKNOWN);
        assertThat(Countries.ofZone("Mars/Olympus_Mons")).isEqualTo(Countries.UNKNOWN);
        assertThat(Countries.ofZone(null)).isEqualTo(Countries.UNKNOWN);
        assertThat(Countries.ofZone("")).isEqualTo(Countries.UNKNOWN);
    }

    @Test
    void numericCodesAndNamesForTheMap() {
        assertThat(Countries.numeric("FR")).isEqualTo(250);
        assertThat(Countries.numeric("US")).isEqualTo(840);
        assertThat(Countries.numeric("JP")).isEqualTo(392);
        assertThat(Countries.name("DE")).isEqualTo("Germany");
        assertThat(Countries.name("")).isEqualTo("Unknown");
    }
}
