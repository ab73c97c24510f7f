package io.isotherm.db.page;

import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

    @Test
    void new_pages_beyond_the_hourly_limit_of_a_site_are_not_created_however_many_ask_at_once() throws Exception {
        Site capped = new SiteDao(db.jdbi()).add("Capped", List.of("https://capped.example"), List.of());
        Site other = new SiteDao(db.jdbi()).add("Other", List.of("https://other.example"), List.of());
        long old = pages.idFor(capped.id(), "https://capped.example/old");
        db.jdbi().useHandle(h -> h.execute("UPDATE page SET first_seen = now() - interval '61 minutes' WHERE site_id = ? AND page_id = ?",
                capped.id(), old));

        ExecutorService pool = Executors.newFixedThreadPool(6); // each on its own connection, as collector processes are
        try {
            List<Callable<OptionalLong>> creations = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String url = "https://capped.example/p" + i;
                creations.add(() -> pages.idFor(capped.id(), url, 5));
            }
            long created = 0;
            for (Future<OptionalLong> f : pool.invokeAll(creations)) {
                if (f.get().isPresent()) created++;
            }
            assertThat(created).isEqualTo(5);
        } finally {
            pool.shutdown();
        }
        long stored = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM page WHERE site_id = ?").bind(0, capped.id())
                .mapTo(Long.class).one());
        assertThat(stored).isEqualTo(6); // the old page, an hour ago, does not count
        // Pages the site has are still found; another site has its own limit.
        String existing = db.jdbi().withHandle(h -> h.createQuery("SELECT url FROM page WHERE site_id = ? AND page_id <> ? LIMIT 1")
                .bind(0, capped.id()).bind(1, old).mapTo(String.class).one());
        assertThat(pages.idFor(capped.id(), existing, 5)).isPresent();
        assertThat(pages.idFor(capped.id(), "https://capped.example/old", 5)).hasValue(old);
        assertThat(pages.idFor(capped.id(), "https://capped.example/one-more", 5)).isEmpty();
        assertThat(pages.idFor(other.id(), "https://other.example/p0", 5)).isPresent();
    }

    @Test
    void a_page_stored_before_urls_were_normalized_is_found_by_its_url_as_stored() {
        long legacy = db.jdbi().withHandle(h -> h.createQuery("INSERT INTO page (site_id, url) VALUES (?, ?) RETURNING page_id")
                .bind(0, site.id()).bind(1, "https://shop.example/a%7eb").mapTo(Long.class).one());
        long normal = pages.idFor(site, "https://shop.example/a%7Eb");

        assertThat(normal).isNotEqualTo(legacy);
        assertThat(pages.find(site, "https://shop.example/a%7eb")).contains(legacy);
        assertThat(pages.find(site, "https://shop.example/a~b")).contains(normal);
        assertThat(pages.find(site, "https://shop.example/x/../a%7Eb/")).contains(normal);
    }
}
