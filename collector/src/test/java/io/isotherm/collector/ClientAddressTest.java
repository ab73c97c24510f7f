package io.isotherm.collector;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {
    @Test
    void keys_ipv4_by_address_and_ipv6_by_its_64_bit_network() {
        assertThat(ClientAddress.key("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.key("2001:db8:1:2::1")).isEqualTo(ClientAddress.key("2001:db8:1:2:ffff:1:2:3"))
                .isEqualTo("20010db800010002::/64");
        assertThat(ClientAddress.key("[2001:db8:1:3::1]")).isEqualTo("20010db800010003::/64");
        assertThat(ClientAddress.key("0:0:0:0:0:0:0:1")).isEqualTo(ClientAddress.key("::1"));
        assertThat(ClientAddress.key("::ffff:198.51.100.4")).as("IPv4-mapped").isEqualTo("198.51.100.4");
    }

    @Test
    void takes_no_names_or_junk_for_an_address_and_never_resolves_one() {
        assertThat(ClientAddress.key("example.com")).isNull();
        assertThat(ClientAddress.key("abc")).isNull();
        assertThat(ClientAddress.key("unknown")).isNull();
        assertThat(ClientAddress.key("1.2.3")).isNull();
        assertThat(ClientAddress.key("::g")).isNull();
        assertThat(ClientAddress.key("")).isNull();
        assertThat(ClientAddress.key(null)).isNull();
    }
}
