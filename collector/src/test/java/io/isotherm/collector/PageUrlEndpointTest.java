package io.isotherm.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import io.isotherm.db.site.SiteSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Page URLs through the real endpoint: every spelling of a page lands on its one normalized row, URLs no page can
 * have are refused naming {@code url} with nothing stored, and new pages beyond a site's hourly limit are refused
 * and counted, by every collector together.
 */
class PageUrlEndpointTest {
    private static final String PLACEHOLDER = "https://shop.example/PLACEHOLDER";

    private static Database db;
    private static Site site;
    private static CollectorServer server;

    @BeforeAll
    static void start() {
        db = TestPostgres.open();
        site = new SiteDao(db.jdbi()).add("Shop", List.of(CollectorServer.ORIGIN), List.of());
        server = CollectorServer.start(db);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (db != null) db.close();
    }

    private static ObjectNode batchOn(Site site, String url) {
        ObjectNode batch = Batches.simple(site.publicKey(), UUID.randomUUID(), 0, 3);
        return batch.put("url", url);
    }

    private static List<String> pageUrls(Site site) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT url FROM page WHERE site_id = :site ORDER BY url")
                .bind("site", site.id()).mapTo(String.class).list());
    }

    private static long receiptsOn(Site site, String pageUrl) {
        return Stored.count(db, """
                SELECT count(*) FROM ingest_batch b JOIN page p ON p.site_id = b.site_id AND p.page_id = b.page_id
                WHERE p.site_id = ? AND p.url = ?""", site.id(), pageUrl);
    }

    @Test
    void every_spelling_of_a_page_lands_on_its_one_normalized_page() {
        Site shop = new SiteDao(db.jdbi()).add("Spellings", List.of(CollectorServer.ORIGIN), List.of());
        for (String url : List.of("https://shop.example/a/./b", "https://shop.example/a/b", "https://shop.example/a/%62",
                "HTTPS://SHOP.example:443/a/c/../b/#top", "https://shop.example/../../etc/passwd")) {
            HttpResponse<String> response = server.post(batchOn(shop, url));
            assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(202);
        }

        assertThat(pageUrls(shop)).containsExactly("https://shop.example/a/b", "https://shop.example/etc/passwd");
        assertThat(receiptsOn(shop, "https://shop.example/a/b")).isEqualTo(4);
    }

    @Test
    void an_excluded_path_is_not_dodged_by_dot_segments_or_percent_encoding() {
        Site shop = new SiteDao(db.jdbi()).add(SiteSettings.checked("Excluding", List.of(CollectorServer.ORIGIN), List.of(), null,
                List.of("/admin/*"), null, null, null));
        for (String url : List.of("https://shop.example/public/../admin/users", "https://shop.example/%61dmin/users",
                "https://shop.example/./admin/%2e/users")) {
            assertThat(server.post(batchOn(shop, url)).statusCode()).as(url).isEqualTo(204);
        }
        assertThat(server.post(batchOn(shop, "https://shop.example/administration")).statusCode()).isEqualTo(202);
        assertThat(pageUrls(shop)).containsExactly("https://shop.example/administration");
    }

    @Test
    void a_url_with_credentials_is_refused_naming_the_url_and_nothing_is_stored() {
        assertRefusedAndNothingStored(Batches.json(batchOn(site, "https://user:secret@shop.example/login")),
                "url must not contain a user name or password");
    }

    @Test
    void a_url_with_a_lone_surrogate_is_refused_naming_the_url_and_nothing_is_stored() {
        // JSON's \\ud800 escape gives a Java string with half a character: no URL can hold it.
        String body = Batches.json(batchOn(site, PLACEHOLDER)).replace(PLACEHOLDER, "https://shop.example/caf\\ud800");
        assertRefusedAndNothingStored(body, "url must be valid Unicode (it holds a lone surrogate)");
    }

    @Test
    void a_url_with_percent_encoded_bytes_that_are_not_utf8_is_refused() {
        assertRefusedAndNothingStored(Batches.json(batchOn(site, "https://shop.example/caf%E9")),
                "url must be UTF-8 where percent-encoded (%E9 is not)");
    }

    private static void assertRefusedAndNothingStored(String body, String error) {
        long pages = Stored.count(db, "SELECT count(*) FROM page");
        long receipts = Stored.count(db, "SELECT count(*) FROM ingest_batch");

        HttpResponse<String> response = server.post(body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode answer = Batches.parse(response.body());
        assertThat(answer.path("error").asText()).isEqualTo(error);
        assertThat(answer.path("field").asText()).isEqualTo("url");
        assertThat(Stored.count(db, "SELECT count(*) FROM page")).isEqualTo(pages);
        assertThat(Stored.count(db, "SELECT count(*) FROM ingest_batch")).isEqualTo(receipts);
    }

    @Test
    void new_pages_beyond_the_hourly_limit_are_refused_and_counted_by_every_collector_together() {
        Site capped = new SiteDao(db.jdbi()).add("Capped", List.of(CollectorServer.ORIGIN), List.of());
        var settings = CollectorSettings.defaults().withNewPagesPerSitePerHour(3);
        try (var first = CollectorServer.start(db, settings); var second = CollectorServer.start(db, settings)) {
            assertThat(first.post(batchOn(capped, "https://shop.example/p1")).statusCode()).isEqualTo(202);
            assertThat(second.post(batchOn(capped, "https://shop.example/p2")).statusCode()).isEqualTo(202);
            assertThat(first.post(batchOn(capped, "https://shop.example/p3")).statusCode()).isEqualTo(202);

            HttpResponse<String> refused = second.post(batchOn(capped, "https://shop.example/p4"));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(refused.headers().firstValue("Retry-After")).isEmpty(); // final: the tracker does not retry a 403
            JsonNode answer = Batches.parse(refused.body());
            assertThat(answer.path("field").asText()).isEqualTo("url");
            assertThat(answer.path("error").asText()).isEqualTo("url would be a new page beyond this site's limit of 3 new pages per hour");
            assertThat(first.post(batchOn(capped, "https://shop.example/p5")).statusCode()).isEqualTo(403);
            assertThat(second.post(batchOn(capped, "https://shop.example/p5/")).statusCode()).isEqualTo(403);

            // The pages the site has still take events, on every collector, and other sites are not limited by it.
            assertThat(second.post(batchOn(capped, "https://shop.example/p1")).statusCode()).isEqualTo(202);
            assertThat(first.post(batchOn(capped, "https://shop.example/./p2")).statusCode()).isEqualTo(202);
            assertThat(second.post(batchOn(site, "https://shop.example/elsewhere")).statusCode()).isEqualTo(202);

            assertThat(pageUrls(capped)).containsExactly("https://shop.example/p1", "https://shop.example/p2", "https://shop.example/p3");
            assertThat(first.counter("isotherm.collect.batches.rejected", "reason", "page_limit")
                    + second.counter("isotherm.collect.batches.rejected", "reason", "page_limit")).isEqualTo(3);
            assertThat(first.flushOutcomes()).isTrue();
            assertThat(second.flushOutcomes()).isTrue();
            assertThat(OutcomeCounts.of(db, capped.id())).isEqualTo(Map.of("stored", 5L, "page_limit", 3L));
        }
    }
}
