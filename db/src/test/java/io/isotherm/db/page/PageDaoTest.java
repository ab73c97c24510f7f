package io.isotherm.db.page;

import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageDaoTest {
    private static Database db;
    private static PageDao pages;
    private static Site site;

    @BeforeAll
    static void open() {
        db = TestPostgres.open();
        pages = new PageDao(db.jdbi());
        site = new SiteDao(db.jdbi()).add("Shop", List.of("https://shop.example"), List.of("id"));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void the_page_of_a_url_is_found_by_the_sites_normalization() {
        long page = pages.idFor(site, "https://shop.example/item/?utm=1&id=3#reviews");

        assertThat(pages.find(site, "HTTPS://Shop.Example/item?id=3")).contains(page);
        assertThat(pages.idFor(site.id(), "https://shop.example/item?id=3")).isEqualTo(page);
        assertThat(pages.find(site, "https://shop.example/item?id=4")).isEmpty();
    }

    @Test
    void finding_a_page_never_creates_one() {
        assertThat(pages.find(site, "https://shop.example/never-visited")).isEmpty();
        assertThat(pages.find(site, "https://shop.example/never-visited")).isEmpty();
    }

    @Test
    void a_url_that_no_page_can_have_is_refused() {
        assertThatThrownBy(() -> pages.find(site, "/relative")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pages.idFor(site, "ftp://shop.example/x")).isInstanceOf(IllegalArgumentException.class);
    }
}
