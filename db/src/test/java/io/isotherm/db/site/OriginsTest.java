package io.isotherm.db.site;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OriginsTest {

    @Test
    void normalizes_case_default_ports_and_a_bare_slash() {
        assertThat(Origins.normalize("HTTPS://Shop.Example:443/")).isEqualTo("https://shop.example");
        assertThat(Origins.normalize("http://localhost:8081")).isEqualTo("http://localhost:8081");
        assertThat(Origins.normalize("https://*.Shop.example")).isEqualTo("https://*.shop.example");
    }

    @Test
    void refuses_things_that_are_not_origins() {
        assertThatThrownBy(() -> Origins.normalize("shop.example")).hasMessageContaining("not an origin");
        assertThatThrownBy(() -> Origins.normalize("https://shop.example/path")).hasMessageContaining("not an origin");
        assertThatThrownBy(() -> Origins.normalize("ftp://shop.example")).hasMessageContaining("not an origin");
    }

    @Test
    void matches_exact_origins_and_wildcard_subdomains_only() {
        List<String> allowed = List.of("https://shop.example", "https://*.blog.example");
        assertThat(Origins.allowed(allowed, "https://shop.example")).isTrue();
        assertThat(Origins.allowed(allowed, "https://SHOP.example")).isTrue();
        assertThat(Origins.allowed(allowed, "http://shop.example")).isFalse();
        assertThat(Origins.allowed(allowed, "https://shop.example.evil.test")).isFalse();
        assertThat(Origins.allowed(allowed, "https://en.blog.example")).isTrue();
        assertThat(Origins.allowed(allowed, "https://blog.example")).isFalse();
        assertThat(Origins.allowed(allowed, "https://evilblog.example")).isFalse();
        assertThat(Origins.allowed(allowed, null)).isFalse();
    }
}
