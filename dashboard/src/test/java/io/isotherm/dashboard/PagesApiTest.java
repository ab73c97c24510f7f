package io.isotherm.dashboard;

import io.isotherm.db.site.Site;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static io.isotherm.dashboard.DashboardServer.JSON;
import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

class PagesApiTest {
    private final DashboardServer server = DashboardServer.start();
    private final Traffic traffic = server.traffic();
    private Site site;

    @BeforeEach
    void setUp() {
        site = traffic.site("UTC");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void lists_every_page_by_page_views_over_the_last_30_days_with_counts_per_device_class() throws Exception {
        long pricing = traffic.page(site, "https://shop.example/pricing");
        long about = traffic.page(site, "https://shop.example/about");
        long old = traffic.page(site, "https://shop.example/old");
        Instant twoDaysAgo = noon(2), yesterday = noon(1);
        traffic.visit(site, pricing).click(twoDaysAgo, 10, 10, "#a").click(twoDaysAgo, 20, 20, null).move(twoDaysAgo, 5, 5).send();
        traffic.visit(site, pricing).scroll(yesterday, 2000, null).send();
        traffic.visit(site, pricing, "mobile", 390, 800, 3000).click(yesterday, 10, 10, "#a").move(yesterday, 1, 1).move(yesterday, 2, 2).send();
        // The default range is the 30 days ending today: 29 days ago is in, 30 days ago is out.
        traffic.visit(site, about).click(noon(29), 10, 10, "#b").send();
        traffic.visit(site, old).click(noon(30), 10, 10, "#c").send();
        traffic.aggregate();

        var response = server.get(site.publicKey(), "pages");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json()).isEqualTo(JSON.readTree("""
                {"version": 1, "pages": [
                  {"url": "https://shop.example/pricing", "pageviews": 3, "clicks": 3, "moves": 3, "devices": {
                      "desktop": {"pageviews": 2, "clicks": 2, "moves": 1},
                      "tablet": {"pageviews": 0, "clicks": 0, "moves": 0},
                      "mobile": {"pageviews": 1, "clicks": 1, "moves": 2}}},
                  {"url": "https://shop.example/about", "pageviews": 1, "clicks": 1, "moves": 0, "devices": {
                      "desktop": {"pageviews": 1, "clicks": 1, "moves": 0},
                      "tablet": {"pageviews": 0, "clicks": 0, "moves": 0},
                      "mobile": {"pageviews": 0, "clicks": 0, "moves": 0}}},
                  {"url": "https://shop.example/old", "pageviews": 0, "clicks": 0, "moves": 0, "devices": {
                      "desktop": {"pageviews": 0, "clicks": 0, "moves": 0},
                      "tablet": {"pageviews": 0, "clicks": 0, "moves": 0},
                      "mobile": {"pageviews": 0, "clicks": 0, "moves": 0}}}
                ], "groups": []}"""));
    }

    @Test
    void an_explicit_range_counts_only_its_days_and_ties_are_sorted_by_url() {
        long pricing = traffic.page(site, "https://shop.example/pricing");
        long about = traffic.page(site, "https://shop.example/about");
        traffic.visit(site, pricing).click(noon(40), 10, 10, "#a").send();
        traffic.visit(site, about).click(noon(40), 10, 10, "#a").send();
        traffic.visit(site, about).click(noon(2), 10, 10, "#a").send();
        traffic.aggregate();

        String day = TODAY.minusDays(40).toString();
        var response = server.get(site.publicKey(), "pages", "from", day, "to", day);

        assertThat(response.json().get("pages").findValuesAsText("url"))
                .containsExactly("https://shop.example/about", "https://shop.example/pricing");
        assertThat(response.json().at("/pages/0/pageviews").asInt()).isEqualTo(1);
        assertThat(response.json().at("/pages/1/pageviews").asInt()).isEqualTo(1);
    }

    @Test
    void a_site_without_pages_has_an_empty_list() throws Exception {
        var response = server.get(site.publicKey(), "pages");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json()).isEqualTo(JSON.readTree("{\"version\": 0, \"pages\": [], \"groups\": []}"));
    }

    @Test
    void any_listing_parameter_gives_a_slice_with_titles_last_seen_times_and_the_total() throws Exception {
        long pricing = traffic.page(site, "https://shop.example/pricing");
        traffic.visit(site, pricing).click(noon(2), 10, 10, "#a").move(noon(2), 5, 5).send();
        traffic.visit(site, pricing, "mobile", 390, 800, 3000).click(noon(1), 10, 10, "#a").send();
        traffic.aggregate();
        title(traffic.capture(site, pricing, "desktop", 1440, 100, 100, List.of()), "Plans & Pricing", noon(1));

        var response = server.get(site.publicKey(), "pages", "limit", "100");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json()).isEqualTo(JSON.readTree("""
                {"version": 1, "pages": [
                  {"url": "https://shop.example/pricing", "title": "Plans & Pricing", "pageviews": 2, "clicks": 2, "moves": 1,
                   "lastSeen": "%s", "devices": {
                      "desktop": {"pageviews": 1, "clicks": 1, "moves": 1},
                      "tablet": {"pageviews": 0, "clicks": 0, "moves": 0},
                      "mobile": {"pageviews": 1, "clicks": 1, "moves": 0}}}
                 ],
                 "total": 1, "limit": 100, "offset": 0, "groups": []}""".formatted(noon(1).plusSeconds(5))));
    }

    @Test
    void q_finds_a_case_insensitive_substring_of_the_url_or_the_title() {
        long pricing = traffic.page(site, "https://shop.example/pricing");
        traffic.page(site, "https://shop.example/blog/PRICING-changes");
        long about = traffic.page(site, "https://shop.example/about");
        traffic.page(site, "https://shop.example/terms_of_use");
        traffic.page(site, "https://shop.example/contact");
        title(traffic.capture(site, pricing, "desktop", 1440, 100, 100, List.of()), "Plans & Pricing", noon(3));
        title(traffic.capture(site, about, "desktop", 1440, 100, 100, List.of()), "Our Plans for 2025", noon(3));

        assertThat(urls(server.get(site.publicKey(), "pages", "q", "Pricing")))
                .containsExactly("https://shop.example/blog/PRICING-changes", "https://shop.example/pricing");
        assertThat(urls(server.get(site.publicKey(), "pages", "q", "plans", "sort", "url")))
                .as("by title").containsExactly("https://shop.example/about", "https://shop.example/pricing");
        assertThat(urls(server.get(site.publicKey(), "pages", "q", "_")))
                .as("_ and % are plain characters").containsExactly("https://shop.example/terms_of_use");
        assertThat(urls(server.get(site.publicKey(), "pages", "q", "%"))).isEmpty();
        var response = server.get(site.publicKey(), "pages", "q", " SHOP.example/ ");
        assertThat(response.json().get("total").asInt()).as("trimmed").isEqualTo(5);
        assertThat(server.get(site.publicKey(), "pages", "q", "nowhere").json().get("total").asInt()).isZero();
    }

    @Test
    void sorts_by_page_views_clicks_last_seen_url_or_title_each_in_its_natural_order_unless_told() {
        long a = traffic.page(site, "https://shop.example/a");
        long b = traffic.page(site, "https://shop.example/b");
        long c = traffic.page(site, "https://shop.example/c");
        long d = traffic.page(site, "https://shop.example/d");
        // Page views: b 3, c 2, a 1, d 0. Clicks: a 3, c 2, b 0, d 0. Last seen: c (1 day ago), a (3), b (5), d (first seen).
        traffic.visit(site, a).click(noon(3), 1, 1, "#x").click(noon(3), 2, 2, "#x").click(noon(3), 3, 3, "#x").send();
        for (int i = 0; i < 3; i++) traffic.visit(site, b).move(noon(5), 1, 1).send();
        traffic.visit(site, c).click(noon(2), 1, 1, "#x").send();
        traffic.visit(site, c).click(noon(1), 1, 1, "#x").send();
        traffic.aggregate();
        backdateFirstSeen(d, noon(20));
        title(traffic.capture(site, a, "desktop", 1440, 100, 100, List.of()), "zebra", noon(1));
        title(traffic.capture(site, b, "mobile", 390, 100, 100, List.of()), "Apple", noon(1));
        title(traffic.capture(site, c, "desktop", 1440, 100, 100, List.of()), "mango", noon(1));

        assertThat(urls(list())).as("page views, the most first").containsExactly(url("b"), url("c"), url("a"), url("d"));
        assertThat(urls(list("sort", "pageviews", "order", "asc"))).containsExactly(url("d"), url("a"), url("c"), url("b"));
        assertThat(urls(list("sort", "clicks"))).as("ties by URL").containsExactly(url("a"), url("c"), url("b"), url("d"));
        assertThat(urls(list("sort", "lastSeen"))).containsExactly(url("c"), url("a"), url("b"), url("d"));
        assertThat(urls(list("sort", "lastSeen", "order", "asc"))).containsExactly(url("d"), url("b"), url("a"), url("c"));
        assertThat(urls(list("sort", "url"))).containsExactly(url("a"), url("b"), url("c"), url("d"));
        assertThat(urls(list("sort", "url", "order", "desc"))).containsExactly(url("d"), url("c"), url("b"), url("a"));
        assertThat(urls(list("sort", "title"))).as("case-insensitive, no title last")
                .containsExactly(url("b"), url("c"), url("a"), url("d"));
        assertThat(urls(list("sort", "title", "order", "desc"))).containsExactly(url("a"), url("c"), url("b"), url("d"));

        var bySeen = list("sort", "lastSeen").json().get("pages");
        assertThat(bySeen.get(0).get("lastSeen").asText()).isEqualTo(noon(1).plusSeconds(5).toString());
        assertThat(bySeen.get(3).get("lastSeen").asText()).as("never seen in a batch: first seen").isEqualTo(noon(20).toString());
    }

    @Test
    void limit_and_offset_take_a_slice_and_total_counts_every_match() {
        for (int i = 1; i <= 5; i++) traffic.page(site, "https://shop.example/p" + i);

        var first = list("sort", "url", "limit", "2");
        assertThat(urls(first)).containsExactly(url("p1"), url("p2"));
        assertThat(first.json().get("total").asInt()).isEqualTo(5);
        assertThat(first.json().get("limit").asInt()).isEqualTo(2);
        assertThat(first.json().get("offset").asInt()).isZero();
        var last = list("sort", "url", "limit", "2", "offset", "4");
        assertThat(urls(last)).containsExactly(url("p5"));
        assertThat(last.json().get("total").asInt()).isEqualTo(5);
        assertThat(last.json().get("offset").asInt()).isEqualTo(4);
        var past = list("sort", "url", "limit", "2", "offset", "10");
        assertThat(urls(past)).isEmpty();
        assertThat(past.json().get("total").asInt()).as("past the end").isEqualTo(5);
        assertThat(list("q", "p").json().get("limit").asInt()).as("the default limit").isEqualTo(100);
    }

    @Test
    void the_title_is_that_of_the_latest_usable_capture_that_has_one_on_any_device() {
        long pricing = traffic.page(site, "https://shop.example/pricing");
        title(traffic.capture(site, pricing, "desktop", 1440, 100, 100, List.of()), "Pricing (old)", noon(5));
        title(traffic.capture(site, pricing, "mobile", 390, 100, 100, List.of()), "Pricing", noon(3));
        // Newer, but no help: a capture without a title, and a bot check nobody accepted.
        traffic.capture(site, pricing, "tablet", 820, 100, 100, List.of());
        long challenge = traffic.capture(site, pricing, "desktop", 1440, 100, 100, List.of());
        title(challenge, "Just a moment...", noon(1));
        server.db().jdbi().useHandle(h -> h.execute("UPDATE capture SET status = 'flagged', flag = 'bot_challenge' WHERE capture_id = ?", challenge));

        assertThat(list().json().at("/pages/0/title").asText()).isEqualTo("Pricing");

        server.db().jdbi().useHandle(h -> h.execute("UPDATE capture SET accepted = true WHERE capture_id = ?", challenge));
        assertThat(list().json().at("/pages/0/title").asText()).as("accepted: used").isEqualTo("Just a moment...");
        traffic.page(site, "https://shop.example/untitled");
        assertThat(list("sort", "url").json().at("/pages/1/title").isNull()).isTrue();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            sort   | views  | sort must be pageviews or clicks or lastSeen or url or title
            sort   | URL    | sort must be pageviews or clicks or lastSeen or url or title
            order  | up     | order must be asc or desc
            limit  | 0      | limit must be a whole number from 1 to 500
            limit  | 501    | limit must be a whole number from 1 to 500
            limit  | ten    | limit must be a whole number from 1 to 500
            limit  | 2.5    | limit must be a whole number from 1 to 500
            offset | -1     | offset must be a whole number of at least 0
            offset | 1e3    | offset must be a whole number of at least 0
            offset | 99999999999 | offset must be a whole number of at least 0
            """)
    void a_bad_listing_parameter_is_400_naming_it(String field, String value, String error) {
        var response = server.get(site.publicKey(), "pages", field, value);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("field").asText()).isEqualTo(field);
        assertThat(response.json().get("error").asText()).isEqualTo(error);
    }

    @Test
    void a_search_longer_than_200_characters_is_400() {
        var response = server.get(site.publicKey(), "pages", "q", "x".repeat(201));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("field").asText()).isEqualTo("q");
        assertThat(server.get(site.publicKey(), "pages", "q", "x".repeat(200)).status()).isEqualTo(200);
    }

    private DashboardServer.Response list(String... params) {
        String[] withLimit = params.length == 0 ? new String[]{"limit", "100"} : params;
        var response = server.get(site.publicKey(), "pages", withLimit);
        assertThat(response.status()).as(response.json().toString()).isEqualTo(200);
        return response;
    }

    private static List<String> urls(DashboardServer.Response response) {
        return response.json().get("pages").findValuesAsText("url");
    }

    private static String url(String path) {
        return "https://shop.example/" + path;
    }

    /** Gives a capture the title its page had, captured at {@code at}. */
    private void title(long captureId, String title, Instant at) {
        server.db().jdbi().useHandle(h -> h.execute("UPDATE capture SET title = ?, captured_at = ? WHERE capture_id = ?",
                title, OffsetDateTime.ofInstant(at, ZoneOffset.UTC), captureId));
    }

    private void backdateFirstSeen(long pageId, Instant at) {
        server.db().jdbi().useHandle(h -> h.execute("UPDATE page SET first_seen = ? WHERE page_id = ?",
                OffsetDateTime.ofInstant(at, ZoneOffset.UTC), pageId));
    }

    private static Instant noon(int daysAgo) {
        return TODAY.minusDays(daysAgo).atTime(12, 0).toInstant(ZoneOffset.UTC);
    }
}
