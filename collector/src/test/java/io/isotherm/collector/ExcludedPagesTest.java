package io.isotherm.collector;

import io.isotherm.db.site.Site;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExcludedPagesTest {
    private static Site site(List<String> excludedPaths) {
        return new Site(1, "key", "Shop", List.of("https://shop.example"), List.of(), "UTC", excludedPaths, null, null, null);
    }

    @Test
    void decides_by_the_sites_patterns_and_anew_once_the_site_is_reloaded_with_others() {
        var pages = new ExcludedPages();
        Site before = site(List.of("/admin/*"));
        Site reloaded = site(List.of("/shop/*"));

        assertThat(pages.excluded(before, "/admin/users")).isTrue();
        assertThat(pages.excluded(before, "/admin/users")).as("remembered").isTrue();
        assertThat(pages.excluded(before, "/shop/cart")).isFalse();
        assertThat(pages.excluded(reloaded, "/admin/users")).isFalse();
        assertThat(pages.excluded(reloaded, "/shop/cart")).isTrue();
        assertThat(pages.excluded(site(List.of()), "/admin/users")).as("no patterns").isFalse();
    }
}
