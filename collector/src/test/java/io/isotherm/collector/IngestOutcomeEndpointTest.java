package io.isotherm.collector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.event.RawEvent;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import io.isotherm.db.site.SiteSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The installation check as the collector feeds it, over real HTTP into a real PostgreSQL: per site, how many
 * batches were stored, repeated, dropped or refused and why ({@code ingest_outcome}), and the newest stored batch
 * ({@code ingest_last_batch}); and the site settings the collector applies: excluded paths and device thresholds.
 */
class IngestOutcomeEndpointTest {
    private static final String BOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    private static final int MAX_BODY = CollectorSettings.defaults().maxBodyBytes();

    private static Database db;
    private static SiteDao sites;
    private static CollectorServer server;
    private static Site ownWidths;
    private static Site mobileAbovePlatformTablets;
    private static Site tabletsOnly;

    @BeforeAll
    static void start() {
        db = TestPostgres.open();
        sites = new SiteDao(db.jdbi());
        server = CollectorServer.start(db);
        ownWidths = sites.add(settings(List.of(), 500, 900));
        mobileAbovePlatformTablets = sites.add(settings(List.of(), 1100, null));
        tabletsOnly = sites.add(settings(List.of(), null, 900));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (db != null) db.close();
    }

    private static SiteSettings settings(List<String> excludedPaths, Integer mobileBelow, Integer tabletBelow) {
        return SiteSettings.checked("Shop", List.of(CollectorServer.ORIGIN), List.of(), null, excludedPaths, mobileBelow, tabletBelow, null);
    }

    /** A site of its own for each test, so its counts are the test's alone. */
    private static Site newSite() {
        return sites.add(settings(List.of(), null, null));
    }

    private static int status(HttpRequest.Builder request) {
        HttpResponse<String> response = server.send(request.build());
        return response.statusCode();
    }

    private static byte[] padded(ObjectNode batch, int size) {
        byte[] json = Batches.json(batch).getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[size];
        System.arraycopy(json, 0, body, 0, json.length);
        Arrays.fill(body, json.length, size, (byte) ' ');
        return body;
    }

    @Test
    void counts_every_outcome_for_its_site_after_a_flush() {
        Site shop = newSite();
        String key = shop.publicKey();
        ObjectNode first = Batches.simple(key, UUID.randomUUID(), 0, 3);
        String json = Batches.json(Batches.simple(key, UUID.randomUUID(), 0, 2));

        assertThat(server.post(first).statusCode()).isEqualTo(202);
        assertThat(server.post(Batches.simple(key, UUID.randomUUID(), 0, 1)).statusCode()).isEqualTo(202);
        assertThat(server.post(first).statusCode()).as("the same batch again").isEqualTo(202);
        assertThat(status(server.request(json).setHeader("User-Agent", BOT_UA))).isEqualTo(204);
        assertThat(status(server.request(json).setHeader("User-Agent", BOT_UA))).isEqualTo(204);
        assertThat(status(server.request("{\"nothing\": \"to see\"}").setHeader("User-Agent", BOT_UA))).as("a bot naming no site").isEqualTo(204);
        assertThat(status(server.request(json).setHeader("Origin", "https://evil.example"))).isEqualTo(403);
        assertThat(server.post(Batches.simple(key, UUID.randomUUID(), 0, 1).put("url", "https://copy.example/pricing")).statusCode())
                .isEqualTo(403);
        assertThat(server.post(Batches.simple(key, UUID.randomUUID(), 0, 1).put("seq", -1)).statusCode()).isEqualTo(400);
        assertThat(server.post(json.substring(0, json.length() - 10)).statusCode()).as("cut off").isEqualTo(400);
        assertThat(server.post(json.replace("\"seq\":0", "\"seq\":\"0\"")).statusCode()).as("a string for a number").isEqualTo(400);
        byte[] tooLarge = padded(Batches.simple(key, UUID.randomUUID(), 0, 1), MAX_BODY + 1);
        assertThat(status(server.request(HttpRequest.BodyPublishers.ofByteArray(tooLarge)))).isEqualTo(413);
        assertThat(status(server.request(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(tooLarge)))))
                .as("chunked").isEqualTo(413);
        // The site key after the first 64 KiB is never read: this one cannot be counted.
        String keyAfterTheLimit = "{" + " ".repeat(MAX_BODY + 10) + json.substring(1);
        assertThat(server.post(keyAfterTheLimit).statusCode()).isEqualTo(413);
        assertThat(status(server.request(json).setHeader("Content-Type", "application/x-www-form-urlencoded"))).isEqualTo(415);

        assertThat(server.flushOutcomes()).isTrue();

        assertThat(OutcomeCounts.of(db, shop.id())).isEqualTo(Map.of(
                "stored", 2L,
                "duplicate", 1L,
                "bot", 2L,
                "origin_not_allowed https://evil.example", 1L,
                "origin_not_allowed https://copy.example", 1L,
                "invalid", 2L,
                "malformed", 1L,
                "too_large", 2L,
                "unsupported_media_type", 1L));
    }

    @Test
    void counts_nothing_for_a_key_that_names_no_site() {
        Site shop = newSite();
        String unknown = Batches.json(Batches.simple("nosuchsite2345678", UUID.randomUUID(), 0, 1));
        String total = "SELECT coalesce(sum(batches), 0) FROM ingest_outcome";
        assertThat(server.flushOutcomes()).isTrue();
        long before = Stored.count(db, total);

        assertThat(server.post(unknown).statusCode()).isEqualTo(404);
        assertThat(status(server.request(unknown).setHeader("User-Agent", BOT_UA))).isEqualTo(204);
        assertThat(server.post(unknown.substring(0, unknown.length() - 10)).statusCode()).isEqualTo(400);
        assertThat(server.post(Batches.simple(shop.publicKey(), UUID.randomUUID(), 0, 1)).statusCode()).isEqualTo(202);
        assertThat(server.flushOutcomes()).isTrue();

        assertThat(Stored.count(db, total) - before).as("batches counted for any site").isEqualTo(1);
        assertThat(OutcomeCounts.of(db, shop.id())).isEqualTo(Map.of("stored", 1L));
    }

    @Test
    void keeps_the_newest_fresh_batch_of_a_site_as_its_last_batch() {
        Site shop = newSite();
        String key = shop.publicKey();
        ObjectNode mobile = Batches.simple(key, UUID.randomUUID(), 0, 1).put("url", "https://shop.example/first");
        mobile.putObject("viewport").put("width", 390).put("height", 800);
        ObjectNode desktop = Batches.simple(key, UUID.randomUUID(), 0, 1).put("url", "https://shop.example/second/?utm_source=x");

        assertThat(server.post(mobile).statusCode()).isEqualTo(202);
        assertThat(server.flushOutcomes()).isTrue();
        assertThat(OutcomeCounts.lastBatch(db, shop.id())).isEqualTo("https://shop.example/first mobile");

        assertThat(server.post(desktop).statusCode()).isEqualTo(202);
        assertThat(server.post(mobile).statusCode()).as("a repeat is not a new last batch").isEqualTo(202);
        assertThat(server.flushOutcomes()).isTrue();
        assertThat(OutcomeCounts.lastBatch(db, shop.id())).isEqualTo("https://shop.example/second desktop");

        // Another collector stored a newer batch meanwhile: an older one must not replace it.
        db.jdbi().useHandle(h -> h.createUpdate("""
                        UPDATE ingest_last_batch SET received_at = received_at + interval '1 day',
                               page_url = 'https://shop.example/elsewhere', device = 'tablet'
                        WHERE site_id = :site""")
                .bind("site", shop.id()).execute());
        assertThat(server.post(Batches.simple(key, UUID.randomUUID(), 0, 1)).statusCode()).isEqualTo(202);
        assertThat(server.flushOutcomes()).isTrue();
        assertThat(OutcomeCounts.lastBatch(db, shop.id())).isEqualTo("https://shop.example/elsewhere tablet");
    }

    @Test
    void answers_a_page_on_an_excluded_path_204_and_stores_nothing_of_it() {
        Site shop = sites.add(settings(List.of("/admin/*", "/checkout/*/pay"), null, null));
        double excludedBefore = server.counter("isotherm.collect.batches.excluded");

        for (String url : List.of("https://shop.example/admin", "https://shop.example/admin/users/7/",
                "https://shop.example/checkout/42/pay?step=2")) {
            UUID pageview = UUID.randomUUID();
            HttpResponse<String> response = server.post(Batches.simple(shop.publicKey(), pageview, 0, 3).put("url", url));
            assertThat(response.statusCode()).as(url).isEqualTo(204);
            assertThat(response.body()).isEmpty();
            assertThat(Stored.events(db, pageview)).isEmpty();
        }
        assertThat(Stored.count(db, "SELECT count(*) FROM ingest_batch WHERE site_id = ?", shop.id())).isZero();
        assertThat(Stored.count(db, "SELECT count(*) FROM page WHERE site_id = ?", shop.id())).isZero();

        UUID kept = UUID.randomUUID();
        var response = server.post(Batches.simple(shop.publicKey(), kept, 0, 2).put("url", "https://shop.example/administrator"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Stored.events(db, kept)).hasSize(2);

        assertThat(server.counter("isotherm.collect.batches.excluded") - excludedBefore).isEqualTo(3);
        assertThat(server.flushOutcomes()).isTrue();
        assertThat(OutcomeCounts.of(db, shop.id())).isEqualTo(Map.of("excluded", 3L, "stored", 1L));
    }

    @Test
    void checks_origins_before_excluded_paths() {
        Site shop = sites.add(settings(List.of("/admin/*"), null, null));
        ObjectNode batch = Batches.simple(shop.publicKey(), UUID.randomUUID(), 0, 1).put("url", "https://shop.example/admin");

        assertThat(status(server.request(Batches.json(batch)).setHeader("Origin", "https://evil.example"))).isEqualTo(403);
        assertThat(server.flushOutcomes()).isTrue();
        assertThat(OutcomeCounts.of(db, shop.id())).isEqualTo(Map.of("origin_not_allowed https://evil.example", 1L));
    }

    /** The sites: own widths 500/900; only mobileBelow 1100, above the platform's 1024 for tablets; only tabletBelow 900. */
    @ParameterizedTest
    @CsvSource({
            "own, 499, mobile", "own, 500, tablet", "own, 767, tablet", "own, 899, tablet", "own, 900, desktop", "own, 1023, desktop",
            "mobile-above-tablets, 1023, mobile", "mobile-above-tablets, 1099, mobile", "mobile-above-tablets, 1100, desktop",
            "tablets-only, 767, mobile", "tablets-only, 768, tablet", "tablets-only, 899, tablet", "tablets-only, 900, desktop"})
    void classes_devices_by_the_sites_own_widths_where_it_has_them(String which, int viewportWidth, String device) {
        Site site = switch (which) {
            case "own" -> ownWidths;
            case "mobile-above-tablets" -> mobileAbovePlatformTablets;
            default -> tabletsOnly;
        };
        UUID pageview = UUID.randomUUID();
        ObjectNode batch = Batches.simple(site.publicKey(), pageview, 0, 2);
        batch.putObject("viewport").put("width", viewportWidth).put("height", 800);

        var response = server.post(batch);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Stored.events(db, pageview)).extracting(RawEvent::device).containsExactly(device, device);
    }

    @Test
    void lets_the_trackers_hint_win_over_a_sites_widths_too() {
        UUID pageview = UUID.randomUUID();
        ObjectNode batch = Batches.simple(ownWidths.publicKey(), pageview, 0, 1).put("device", "tablet");
        batch.putObject("viewport").put("width", 400).put("height", 800);

        assertThat(server.post(batch).statusCode()).isEqualTo(202);
        assertThat(Stored.events(db, pageview)).extracting(RawEvent::device).containsExactly("tablet");
    }

    @Test
    void flushes_on_its_own_every_interval() {
        Site shop = newSite();
        try (var fast = CollectorServer.start(db, CollectorSettings.defaults().withOutcomeFlushInterval(Duration.ofMillis(50)))) {
            assertThat(fast.post(Batches.simple(shop.publicKey(), UUID.randomUUID(), 0, 1)).statusCode()).isEqualTo(202);

            TestSite.await("the stored batch counted", () -> OutcomeCounts.of(db, shop.id()), counts -> counts.equals(Map.of("stored", 1L)));
        }
    }

    @Test
    void flushes_what_it_counted_when_it_is_closed() {
        Site shop = newSite();
        var slow = CollectorServer.start(db, CollectorSettings.defaults().withOutcomeFlushInterval(Duration.ofHours(1)));
        try {
            assertThat(slow.post(Batches.simple(shop.publicKey(), UUID.randomUUID(), 0, 1)).statusCode()).isEqualTo(202);
            assertThat(OutcomeCounts.of(db, shop.id())).as("not flushed yet").isEmpty();
        } finally {
            slow.close();
        }
        assertThat(OutcomeCounts.of(db, shop.id())).isEqualTo(Map.of("stored", 1L));
        assertThat(OutcomeCounts.lastBatch(db, shop.id())).isEqualTo("https://shop.example/ desktop");
    }
}
