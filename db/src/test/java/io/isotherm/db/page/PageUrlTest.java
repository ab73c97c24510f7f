package io.isotherm.db.page;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageUrlTest {

    @Test
    void keeps_scheme_host_and_path_only() {
        assertThat(PageUrl.normalize("HTTPS://Shop.Example:443/Product/12?utm_source=x#reviews", List.of()))
                .isEqualTo("https://shop.example/Product/12");
    }

    @Test
    void treats_a_trailing_slash_as_the_same_page_but_keeps_the_root() {
        assertThat(PageUrl.normalize("https://shop.example/pricing/", List.of())).isEqualTo("https://shop.example/pricing");
        assertThat(PageUrl.normalize("https://shop.example", List.of())).isEqualTo("https://shop.example/");
        assertThat(PageUrl.normalize("https://shop.example/", List.of())).isEqualTo("https://shop.example/");
    }

    @Test
    void keeps_a_non_default_port() {
        assertThat(PageUrl.normalize("http://localhost:8081/a", List.of())).isEqualTo("http://localhost:8081/a");
    }

    @Test
    void keeps_configured_query_parameters_in_a_stable_order() {
        List<String> kept = List.of("id", "lang");
        assertThat(PageUrl.normalize("https://shop.example/item?utm=1&lang=de&id=3", kept))
                .isEqualTo("https://shop.example/item?id=3&lang=de");
        assertThat(PageUrl.normalize("https://shop.example/item?utm=1", kept)).isEqualTo("https://shop.example/item");
    }

    @Test
    void rejects_anything_but_absolute_http_urls() {
        assertThatThrownBy(() -> PageUrl.normalize("/relative/path", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PageUrl.normalize("javascript:alert(1)", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PageUrl.normalize("ftp://shop.example/x", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PageUrl.normalize("https://exa mple.com/", List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
