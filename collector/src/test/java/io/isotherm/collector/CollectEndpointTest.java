package io.isotherm.collector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.event.RawEvent;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.isotherm.collector.Batches.click;
import static io.isotherm.collector.Batches.events;
import static io.isotherm.collector.Batches.move;
import static io.isotherm.collector.Batches.scroll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** What a valid batch becomes in PostgreSQL, and the endpoint's answers around it (CORS, bots, metrics). */
class CollectEndpointTest {
    private static Database db;
    private static Site site;
    private static CollectorServer server;

    @BeforeAll
    static void start() {
        db = TestPostgres.open();
        site = new SiteDao(db.jdbi()).add("Shop", List.of("https://shop.example", "https://*.shop.example"), List.of());
        server = CollectorServer.start(db);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (db != null) db.close();
    }

    @Test
    void stores_a_click_a_move_and_a_scroll_field_for_field() {
        UUID pageview = UUID.randomUUID();
        // The client's clock is three days behind: only the distance between t and sentAt may count.
        long sentAt = Instant.now().minus(Duration.ofDays(3)).toEpochMilli();
        String selector = "main > a.cta[data-label=\"buy, now\"]";
        ObjectNode batch = Batches.batch(site.publicKey(), pageview, 7, sentAt, "https://Shop.Example:443/pricing/?utm_source=mail#plans");
        batch.putObject("viewport").put("width", 1283).put("height", 724);
        batch.putObject("document").put("width", 1301).put("height", 3402);
        events(batch).add(click(sentAt - 3000, 640.4, 412.6).put("selector", selector).put("boxX", 0.42).put("boxY", 0.5)
                .put("fixed", true).put("interactive", true).put("rage", true));
        events(batch).add(move(sentAt - 2000, 700.5, 500));
        events(batch).add(scroll(sentAt - 1000, 1440, 2300));
        events(batch).add(click(sentAt, 0, 0)); // no selector, no flags: the defaults
        events(batch).add(move(sentAt + 500, 99_999.6, 999_999.4)); // up to 1 s ahead of sentAt: stored at receive time
        double acceptedBefore = server.counter("isotherm.collect.events.accepted");
        double batchesBefore = server.counter("isotherm.collect.batches.accepted");

        Instant before = Instant.now();
        HttpResponse<String> response = server.post(batch);
        Instant after = Instant.now();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(response.body()).isEmpty();
        long pageId = Stored.count(db, "SELECT page_id FROM page WHERE site_id = ? AND url = ?",
                site.id(), "https://shop.example/pricing");

        List<RawEvent> stored = Stored.events(db, pageview);
        assertThat(stored).hasSize(5);
        Instant receivedAt = stored.get(3).occurredAt();
        assertThat(receivedAt).isBetween(before.minusSeconds(1), after.plusSeconds(1));
        assertThat(stored).containsExactly(
                new RawEvent(site.id(), pageId, pageview, 7, receivedAt.minusMillis(3000), "click", "desktop",
                        640, 413, 1301, 3402, 1283, 724, selector, 0.42f, 0.5f, true, true, true, null, null),
                new RawEvent(site.id(), pageId, pageview, 7, receivedAt.minusMillis(2000), "move", "desktop",
                        701, 500, 1301, 3402, 1283, 724, null, null, null, false, false, false, null, null),
                new RawEvent(site.id(), pageId, pageview, 7, receivedAt.minusMillis(1000), "scroll", "desktop",
                        0, 1440, 1301, 3402, 1283, 724, null, null, null, false, false, false, 2300, 1440f / 3402),
                new RawEvent(site.id(), pageId, pageview, 7, receivedAt, "click", "desktop",
                        0, 0, 1301, 3402, 1283, 724, null, null, null, false, false, false, null, null),
                new RawEvent(site.id(), pageId, pageview, 7, receivedAt, "move", "desktop",
                        100_000, 999_999, 1301, 3402, 1283, 724, null, null, null, false, false, false, null, null));

        var receipt = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT site_id, page_id, seq, event_count, received_at, aggregated_at IS NULL AS pending,
                               first_event_at, last_event_at,
                               first_event_at = (SELECT min(occurred_at) FROM raw_event e WHERE e.pageview_id = b.pageview_id) AS first_exact,
                               last_event_at = (SELECT max(occurred_at) FROM raw_event e WHERE e.pageview_id = b.pageview_id) AS last_exact
                        FROM ingest_batch b WHERE pageview_id = :pageview""")
                .bind("pageview", pageview).mapToMap().list());
        assertThat(receipt).hasSize(1);
        assertThat(receipt.get(0)).containsEntry("site_id", site.id()).containsEntry("page_id", pageId)
                .containsEntry("seq", 7).containsEntry("event_count", 5).containsEntry("pending", true)
                // The range its events happened in, to the microsecond as raw_event stores them: the aggregator reads it.
                .containsEntry("first_exact", true).containsEntry("last_exact", true);
        assertThat(((java.sql.Timestamp) receipt.get(0).get("first_event_at")).toInstant()).isEqualTo(receivedAt.minusMillis(3000));
        assertThat(((java.sql.Timestamp) receipt.get(0).get("last_event_at")).toInstant()).isEqualTo(receivedAt);
        Instant receiptTime = ((java.sql.Timestamp) receipt.get(0).get("received_at")).toInstant();
        assertThat(receiptTime).isBetween(before.minusSeconds(1), after.plusSeconds(1));

        assertThat(server.counter("isotherm.collect.events.accepted") - acceptedBefore).isEqualTo(5);
        assertThat(server.counter("isotherm.collect.batches.accepted") - batchesBefore).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "div > a[href=\"/a,b\"]",
            "\"",
            "\"\"",
            "a\\.b",
            "\\.",
            "NULL",
            " padded ",
            "#ünïcødé-日本-𝄞",
            "ul li:nth-child(2n+1) > button.cta::after, #x"})
    void stores_a_selector_verbatim_whatever_characters_it_holds(String selector) {
        UUID pageview = UUID.randomUUID();
        ObjectNode batch = Batches.simple(site.publicKey(), pageview, 0, 1);
        Batches.event(batch, 0).put("selector", selector);

        var response = server.post(batch);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Stored.events(db, pageview)).extracting(RawEvent::selector).containsExactly(selector);
    }

    @ParameterizedTest
    @CsvSource({"0.4, 0", "0.5, 1", "2.5, 3", "99.49, 99", "99.5, 100", "12, 12"})
    void rounds_coordinates_to_the_nearest_whole_pixel(double sent, int stored) {
        UUID pageview = UUID.randomUUID();
        ObjectNode batch = Batches.simple(site.publicKey(), pageview, 0, 1);
        Batches.event(batch, 0).put("x", sent).put("y", sent);

        var response = server.post(batch);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Stored.events(db, pageview)).singleElement().satisfies(e -> {
            assertThat(e.x()).isEqualTo(stored);
            assertThat(e.y()).isEqualTo(stored);
        });
    }

    @Test
    void counts_accepted_events_in_the_metrics_by_what_was_stored() {
        double before = server.counter("isotherm.collect.events.accepted");
        int sent = 0;
        for (int n : new int[]{1, 4, 9}) {
            var response = server.post(Batches.simple(site.publicKey(), UUID.randomUUID(), 0, n));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            sent += n;
        }
        assertThat(server.counter("isotherm.collect.events.accepted") - before).isEqualTo(sent);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "text/plain;charset=UTF-8", "application/json", "Application/JSON; charset=utf-8"})
    void accepts_text_plain_and_application_json_bodies(String contentType) {
        UUID pageview = UUID.randomUUID();
        String body = Batches.json(Batches.simple(site.publicKey(), pageview, 0, 3));

        var response = server.send(server.request(body).setHeader("Content-Type", contentType).build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Stored.events(db, pageview)).hasSize(3);
    }

    @ParameterizedTest
    @CsvSource({"390, mobile", "767, mobile", "768, tablet", "820, tablet", "1023, tablet", "1024, desktop", "1440, desktop"})
    void derives_the_device_class_from_the_viewport_width_without_a_hint(int viewportWidth, String device) {
        UUID pageview = UUID.randomUUID();
        ObjectNode batch = Batches.simple(site.publicKey(), pageview, 0, 3);
        batch.putObject("viewport").put("width", viewportWidth).put("height", 800);

        var response = server.post(batch);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Stored.events(db, pageview)).extracting(RawEvent::device).containsExactly(device, device, device);
    }

    @ParameterizedTest
    @CsvSource({"1440, mobile", "390, desktop", "1440, tablet"})
    void lets_the_trackers_device_hint_win_over_the_viewport_width(int viewportWidth, String hint) {
        UUID pageview = UUID.randomUUID();
        ObjectNode batch = Batches.simple(site.publicKey(), pageview, 0, 2);
        batch.putObject("viewport").put("width", viewportWidth).put("height", 800);
        batch.put("device", hint);

        var response = server.post(batch);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Stored.events(db, pageview)).extracting(RawEvent::device).containsExactly(hint, hint);
    }

    @Test
    void echoes_an_allowed_origin_in_cors_headers_of_the_answer() {
        UUID pageview = UUID.randomUUID();
        ObjectNode batch = Batches.simple(site.publicKey(), pageview, 0, 1);
        batch.put("url", "https://www.shop.example/");

        var response = server.send(server.request(Batches.json(batch)).setHeader("Origin", "https://www.shop.example").build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("https://www.shop.example");
        assertThat(response.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("Origin"));
        assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(Stored.events(db, pageview)).hasSize(1);
    }

    @Test
    void answers_the_cors_preflight_with_204_and_the_allowed_method_and_header() {
        var preflight = HttpRequest.newBuilder(server.endpoint())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", CollectorServer.ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .header("User-Agent", CollectorServer.CHROME_UA)
                .build();

        var response = server.send(preflight);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains(CollectorServer.ORIGIN);
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).contains("POST");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(
                v -> assertThat(v).containsIgnoringCase("Content-Type"));
        assertThat(response.headers().firstValue("Access-Control-Max-Age")).contains("86400");
        assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
            "python-requests/2.32.3"})
    void answers_a_bot_204_and_stores_nothing(String userAgent) {
        UUID pageview = UUID.randomUUID();
        ObjectNode batch = Batches.simple(site.publicKey(), pageview, 0, 3);
        batch.put("url", "https://shop.example/only-bots-were-here-" + pageview);
        long eventsBefore = Stored.count(db, "SELECT count(*) FROM raw_event");
        long batchesBefore = Stored.count(db, "SELECT count(*) FROM ingest_batch");
        long pagesBefore = Stored.count(db, "SELECT count(*) FROM page");
        double botsBefore = server.counter("isotherm.collect.batches.bot");

        var response = server.send(server.request(Batches.json(batch)).setHeader("User-Agent", userAgent).build());

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(Stored.events(db, pageview)).isEmpty();
        assertThat(Stored.count(db, "SELECT count(*) FROM raw_event")).isEqualTo(eventsBefore);
        assertThat(Stored.count(db, "SELECT count(*) FROM ingest_batch")).isEqualTo(batchesBefore);
        assertThat(Stored.count(db, "SELECT count(*) FROM page")).isEqualTo(pagesBefore);
        assertThat(server.counter("isotherm.collect.batches.bot") - botsBefore).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (Linux; Android 13; KingKong Power) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36 Cubot"})
    void keeps_the_visits_of_cubot_phones(String userAgent) {
        UUID pageview = UUID.randomUUID();
        String body = Batches.json(Batches.simple(site.publicKey(), pageview, 0, 2));

        var response = server.send(server.request(body).setHeader("User-Agent", userAgent).build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Stored.events(db, pageview)).hasSize(2);
    }

    @Test
    void stores_the_pixel_ratio_and_time_zone_with_the_batch_and_scroll_depth_with_the_event() {
        UUID pageview = UUID.randomUUID();
        long now = Instant.now().toEpochMilli();
        ObjectNode batch = Batches.batch(site.publicKey(), pageview, 0, now, "https://shop.example/")
                .put("dpr", 2.625).put("tz", "America/Argentina/Buenos_Aires");
        events(batch).add(scroll(now, 2040, 1500).put("depth", 0.6));
        events(batch).add(Batches.JSON.createObjectNode().put("kind", "scroll").put("t", now).put("y", 1700)); // no depth

        assertThat(server.post(batch).statusCode()).isEqualTo(202);

        // Sent depth is kept as measured; a missing one is y over the batch's document height (3400).
        assertThat(Stored.events(db, pageview)).extracting(RawEvent::y, RawEvent::depth)
                .containsExactlyInAnyOrder(tuple(2040, 0.6f), tuple(1700, 0.5f));
        var context = db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT device_pixel_ratio, time_zone FROM ingest_batch WHERE pageview_id = :pageview")
                .bind("pageview", pageview)
                .map((rs, ctx) -> tuple(rs.getFloat(1), rs.getString(2)))
                .one());
        assertThat(context).isEqualTo(tuple(2.625f, "America/Argentina/Buenos_Aires"));
    }

    @Test
    void stores_a_scroll_without_dwell_with_no_dwell_time() {
        UUID pageview = UUID.randomUUID();
        long now = Instant.now().toEpochMilli();
        ObjectNode batch = Batches.batch(site.publicKey(), pageview, 0, now, "https://shop.example/");
        events(batch).add(Batches.JSON.createObjectNode().put("kind", "scroll").put("t", now).put("y", 900));
        events(batch).add(scroll(now, 1800, 0));

        var response = server.post(batch);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Stored.events(db, pageview)).extracting(RawEvent::y, RawEvent::dwellMs)
                .containsExactlyInAnyOrder(tuple(900, null), tuple(1800, 0));
    }

    @Test
    void answers_404_and_stores_nothing_once_the_site_is_removed_even_while_its_key_is_cached() {
        var sites = new SiteDao(db.jdbi());
        Site removed = sites.add("Closed shop", List.of("https://shop.example"), List.of());
        var first = server.post(Batches.simple(removed.publicKey(), UUID.randomUUID(), 0, 1)); // caches key and page
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(sites.remove(removed.publicKey())).isTrue();
        UUID pageview = UUID.randomUUID();

        var response = server.post(Batches.simple(removed.publicKey(), pageview, 0, 3));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        assertThat(Batches.parse(response.body()).path("field").asText()).isEqualTo("site");
        assertThat(Stored.events(db, pageview)).isEmpty();
        assertThat(Stored.count(db, "SELECT count(*) FROM raw_event WHERE site_id = ?", removed.id())).isZero();
        assertThat(Stored.count(db, "SELECT count(*) FROM ingest_batch WHERE site_id = ?", removed.id())).isZero();
    }

    @Test
    void answers_404_for_a_new_page_of_a_site_removed_while_its_key_is_cached() {
        var sites = new SiteDao(db.jdbi());
        Site removed = sites.add("Closed shop", List.of("https://shop.example"), List.of());
        var first = server.post(Batches.simple(removed.publicKey(), UUID.randomUUID(), 0, 1)); // caches the key
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(sites.remove(removed.publicKey())).isTrue();
        UUID pageview = UUID.randomUUID();
        ObjectNode batch = Batches.simple(removed.publicKey(), pageview, 0, 3);
        batch.put("url", "https://shop.example/a-page-never-seen-" + pageview);

        var response = server.post(batch);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        assertThat(Batches.parse(response.body()).path("field").asText()).isEqualTo("site");
        assertThat(Stored.count(db, "SELECT count(*) FROM page WHERE site_id = ?", removed.id())).isZero();
    }

    @Test
    void accepts_a_batch_without_an_origin_header_when_its_url_is_on_the_site() {
        UUID pageview = UUID.randomUUID();
        var request = HttpRequest.newBuilder(server.endpoint())
                .header("Content-Type", "text/plain")
                .header("User-Agent", CollectorServer.CHROME_UA)
                .POST(HttpRequest.BodyPublishers.ofString(Batches.json(Batches.simple(site.publicKey(), pageview, 0, 2))))
                .build();

        var response = server.send(request);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(Stored.events(db, pageview)).hasSize(2);
    }

    @Test
    void accepts_a_body_of_exactly_the_maximum_size() {
        UUID pageview = UUID.randomUUID();
        String json = Batches.json(Batches.simple(site.publicKey(), pageview, 0, 4));
        int max = CollectorSettings.defaults().maxBodyBytes();
        String body = json + " ".repeat(max - json.getBytes(StandardCharsets.UTF_8).length);
        assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(max);

        var response = server.post(body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Stored.events(db, pageview)).hasSize(4);
    }

    @Test
    void keeps_a_page_per_normalized_url() {
        UUID pageview = UUID.randomUUID();
        for (int seq = 0; seq < 3; seq++) {
            ObjectNode batch = Batches.simple(site.publicKey(), pageview, seq, 1);
            batch.put("url", List.of("https://shop.example/same-page", "https://shop.example/same-page/",
                    "https://SHOP.example/same-page?ref=x#top").get(seq));
            var response = server.post(batch);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        }

        long pages = Stored.count(db, "SELECT count(*) FROM page WHERE site_id = ? AND url LIKE '%same-page%'", site.id());
        long pageId = Stored.count(db, "SELECT page_id FROM page WHERE site_id = ? AND url = ?", site.id(),
                "https://shop.example/same-page");
        assertThat(pages).isEqualTo(1);
        assertThat(Stored.events(db, pageview)).extracting(RawEvent::pageId).containsExactly(pageId, pageId, pageId);
    }
}
