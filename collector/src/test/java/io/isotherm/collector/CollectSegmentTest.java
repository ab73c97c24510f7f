package io.isotherm.collector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a batch says of its visit, as ingest_batch stores it (docs/COLLECT-API.md, "Traffic segments"): the class of
 * the referrer's host, the landing URL's utm values (cleaned, never refused), the page's variant, and the browser
 * and OS families of the user agent; never the referrer, the rest of the query or the user agent themselves.
 */
class CollectSegmentTest {
    private static final String SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    private static final String FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private static final String SAMSUNG_ANDROID = "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36";
    private static final String EDGE_WINDOWS = CollectorServer.CHROME_UA + " Edg/131.0.0.0";
    private static final String SAFARI_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.5 Safari/605.1.15";
    private static final String OPERA_WINDOWS = CollectorServer.CHROME_UA + " OPR/115.0.0.0";
    private static final String CHROME_OS = "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Safari/537.36";

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

    /** ingest_batch's segment columns of one stored batch. */
    record Row(String referrer, String utmSource, String utmMedium, String utmCampaign, String variant, String browser, String os) {
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "NONE", value = {
            "NONE, direct",
            "'', direct",
            "www.google.com, search",
            "www.google.co.uk, search",            // listed as it is
            "www.bing.com, search",
            "duckduckgo.com, search",
            "l.facebook.com, social",              // listed as facebook.com: a subdomain of a listed host
            "t.co, social",
            "mail.google.com, email",              // more specific than google's search hosts
            "mail.yahoo.com, email",
            "support.google.com, other",           // the list's unknown section: Google, but no search
            "blog.example.org, other",
            "news.example.org:8443, other",
            "not a host at all, other",
            "shop.example, internal",              // the page's own host
            "SHOP.EXAMPLE:443, internal",
            "checkout.shop.example, internal",     // a host of the site's origins (https://*.shop.example)
    })
    void stores_the_class_of_the_referrers_host(String referrer, String expected) {
        Row row = store(b -> b.put("referrer", referrer));

        assertThat(row.referrer()).isEqualTo(expected);
    }

    @Test
    void stores_the_landing_urls_utm_values_and_nothing_else_of_its_query() {
        Row row = store(b -> b.put("query", "?utm_source=news&utm_medium=email&utm_campaign=spring&other=secret"));

        assertThat(row).isEqualTo(new Row("direct", "news", "email", "spring", null, "Chrome", "Windows"));
        assertThat(Stored.count(db, "SELECT count(*) FROM ingest_batch b WHERE b::text LIKE '%secret%'")).isZero();
        assertThat(Stored.count(db, "SELECT count(*) FROM raw_event r WHERE r::text LIKE '%secret%'")).isZero();
    }

    @Test
    void cuts_a_utm_value_to_100_characters_and_removes_control_characters() {
        String longCampaign = "spring-sale-".repeat(12); // 144 characters
        Row row = store(b -> b.put("query", "?utm_campaign=" + longCampaign
                + "&utm_source=news%0Aletter%00&utm_medium=e\u0007mail"));

        assertThat(row.utmCampaign()).isEqualTo(longCampaign.substring(0, 100)).hasSize(100);
        assertThat(row.utmSource()).isEqualTo("newsletter");
        assertThat(row.utmMedium()).isEqualTo("email");
    }

    @Test
    void decodes_utm_values_and_stores_blank_or_missing_ones_as_null() {
        Row row = store(b -> b.put("query", "?utm_source=&utm_medium=%20%09&utm_campaign=spring+sale%21%3Cb%3E&utm_campaign=second"));

        assertThat(row.utmSource()).isNull();
        assertThat(row.utmMedium()).isNull();
        assertThat(row.utmCampaign()).as("the first of a repeated parameter, decoded, as text").isEqualTo("spring sale!<b>");
        Row none = store(b -> b.put("query", ""));
        assertThat(none).isEqualTo(new Row("direct", null, null, null, null, "Chrome", "Windows"));
    }

    @Test
    void stores_the_variant_the_page_set_and_none_when_blank() {
        assertThat(store(b -> b.put("variant", "B")).variant()).isEqualTo("B");
        assertThat(store(b -> b.put("variant", " checkout-v2 ")).variant()).isEqualTo("checkout-v2");
        assertThat(store(b -> b.put("variant", "")).variant()).isNull();
        assertThat(store(b -> b.putNull("variant")).variant()).isNull();
    }

    @ParameterizedTest(name = "{1} on {2}")
    @CsvSource({
            "CHROME_WINDOWS, Chrome, Windows",
            "SAFARI_IPHONE, Safari, iOS",
            "FIREFOX_LINUX, Firefox, Linux",
            "SAMSUNG_ANDROID, Samsung Internet, Android",
            "EDGE_WINDOWS, Edge, Windows",
            "SAFARI_MAC, Safari, macOS",
            "OPERA_WINDOWS, Opera, Windows",
            "CHROME_OS, Chrome, ChromeOS",
            "CURL, Other, Other",
    })
    void stores_the_browser_and_os_families_of_the_user_agent_and_never_the_user_agent(String name, String browser, String os) {
        String userAgent = switch (name) {
            case "CHROME_WINDOWS" -> CollectorServer.CHROME_UA;
            case "SAFARI_IPHONE" -> SAFARI_IPHONE;
            case "FIREFOX_LINUX" -> FIREFOX_LINUX;
            case "SAMSUNG_ANDROID" -> SAMSUNG_ANDROID;
            case "EDGE_WINDOWS" -> EDGE_WINDOWS;
            case "SAFARI_MAC" -> SAFARI_MAC;
            case "OPERA_WINDOWS" -> OPERA_WINDOWS;
            case "CHROME_OS" -> CHROME_OS;
            default -> "curl/8.5.0";
        };
        ObjectNode batch = Batches.simple(site.publicKey(), UUID.randomUUID(), 0, 3);

        HttpResponse<String> response = server.send(server.request(Batches.json(batch)).setHeader("User-Agent", userAgent).build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Row row = row(batch);
        assertThat(row.browser()).isEqualTo(browser);
        assertThat(row.os()).isEqualTo(os);
        assertThat(Stored.count(db, "SELECT count(*) FROM ingest_batch b WHERE strpos(b::text, ?) > 0", userAgent)).isZero();
    }

    @Test
    void every_batch_of_a_page_view_keeps_the_values_it_was_sent_with() {
        UUID pageview = UUID.randomUUID();
        for (int seq = 0; seq < 3; seq++) {
            ObjectNode batch = Batches.simple(site.publicKey(), pageview, seq, 2);
            batch.put("referrer", "www.google.com").put("query", "?utm_source=news").put("variant", "B");
            assertThat(server.post(batch).statusCode()).isEqualTo(202);
        }

        List<Row> rows = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT referrer, utm_source, utm_medium, utm_campaign, variant, browser, os
                        FROM ingest_batch WHERE pageview_id = :pageview ORDER BY seq""")
                .bind("pageview", pageview)
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7)))
                .list());
        assertThat(rows).hasSize(3).containsOnly(new Row("search", "news", null, null, "B", "Chrome", "Windows"));
    }

    /** Posts a valid batch changed by {@code change} from the default Chrome on Windows, and reads back its row. */
    private static Row store(Consumer<ObjectNode> change) {
        ObjectNode batch = Batches.simple(site.publicKey(), UUID.randomUUID(), 0, 3);
        change.accept(batch);

        HttpResponse<String> response = server.post(batch);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return row(batch);
    }

    private static Row row(ObjectNode batch) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT referrer, utm_source, utm_medium, utm_campaign, variant, browser, os
                        FROM ingest_batch WHERE pageview_id = :pageview""")
                .bind("pageview", UUID.fromString(batch.get("pageview").asText()))
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7)))
                .one());
    }
}
