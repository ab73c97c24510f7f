package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.dashboard.DashboardServer.Response;
import io.isotherm.db.site.Site;
import io.isotherm.testing.StoredTraffic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.isotherm.dashboard.DashboardServer.JSON;
import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Page groups through the API: a group of two product pages whose "#add-to-cart" sits at different places, beside a
 * blog page with clicks on the same selector that is no member.
 */
class PageGroupsApiTest {
    private static final String SHOE = "https://shop.example/product/shoe";
    private static final String HAT = "https://shop.example/product/hat";
    private static final String BLOG = "https://shop.example/blog/hello";
    private static final String PRODUCTS = "https://shop.example/product"; // no segment after /product/: not a member

    private final DashboardServer server = DashboardServer.start();
    private final Traffic traffic = server.traffic();
    private Site site;
    private long shoe, hat;

    @BeforeEach
    void setUp() {
        site = traffic.site("UTC");
        shoe = traffic.page(site, SHOE);
        hat = traffic.page(site, HAT);
        long blog = traffic.page(site, BLOG);
        long products = traffic.page(site, PRODUCTS);
        Instant t = noon(2);
        // The shoe page: 2 page views, 3 clicks on the button and 1 on no element.
        traffic.visit(site, shoe).click(t, 180, 500, "#add-to-cart").click(t.plusSeconds(1), 180, 500, "#add-to-cart")
                .click(t.plusSeconds(2), 10, 10, null).send();
        traffic.visit(site, shoe).click(t, 180, 500, "#add-to-cart").send();
        // The hat page: 1 page view, its button lower and to the right, and the reviews, which the shoe page lacks.
        traffic.visit(site, hat).click(t, 960, 1200, "#add-to-cart").click(t.plusSeconds(1), 250, 2025, "#reviews").send();
        // Not members: 5 clicks on the same selector.
        traffic.visit(site, blog).click(t, 500, 700, "#add-to-cart").click(t.plusSeconds(1), 500, 700, "#add-to-cart")
                .click(t.plusSeconds(2), 500, 700, "#add-to-cart").send();
        traffic.visit(site, products).click(t, 500, 700, "#add-to-cart").click(t.plusSeconds(1), 500, 700, "#add-to-cart").send();
        traffic.aggregate();
        traffic.layout(site, shoe, "desktop", "#add-to-cart", 80, 480, 200, 40);
        traffic.layout(site, hat, "desktop", "#add-to-cart", 860, 1180, 200, 40);
        traffic.layout(site, hat, "desktop", "#reviews", 100, 2000, 300, 50);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void a_group_holds_the_pages_its_pattern_matches_busiest_first() throws Exception {
        Response created = create("Products", "/product/*", null);

        assertThat(created.status()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json()).isEqualTo(JSON.readTree("""
                {"id": %d, "name": "Products", "pattern": "/product/*", "screenshotPage": null,
                 "pages": [{"url": "%s", "pageviews": 2}, {"url": "%s", "pageviews": 1}]}""".formatted(id, SHOE, HAT)));
        assertThat(server.get("/api/sites/" + site.publicKey() + "/groups").json().get("groups"))
                .isEqualTo(JSON.readTree("[" + created.json() + "]"));
        assertThat(server.get(site.publicKey(), "group-preview", "pattern", "/blog/:slug").json()).isEqualTo(JSON.readTree("""
                {"pattern": "/blog/:slug", "pages": [{"url": "%s", "pageviews": 1}]}""".formatted(BLOG)));
    }

    @Test
    void the_pooled_heatmap_draws_every_members_clicks_on_the_busiest_pages_layout() throws Exception {
        long id = create("Products", "/product/*", null).json().get("id").asLong();

        JsonNode map = server.get(site.publicKey(), "groups/" + id + "/heatmap", "raw", "true").json();

        // Drawn on the shoe page (2 of the 3 page views): its button's 3 clicks and the hat page's 1 in the shoe's
        // button box, the click on no element where it was; the hat's reviews are not on the shoe's layout.
        assertThat(map.get("page").asText()).isEqualTo(SHOE);
        assertThat(map.get("group")).isEqualTo(JSON.readTree("""
                {"id": %d, "name": "Products", "pattern": "/product/*", "pages": 2}""".formatted(id)));
        assertThat(map.get("pageviews").asLong()).isEqualTo(3);
        assertThat(map.get("total").asLong()).isEqualTo(5);
        assertThat(map.get("notDrawn").asLong()).isEqualTo(1);
        assertThat(countsIn(map, 80, 480, 200, 40)).isEqualTo(4);
        assertThat(countsIn(map, 860, 1180, 200, 40)).isZero();
        assertThat(countsIn(map, 0, 0, 16, 16)).isEqualTo(1);
    }

    @Test
    void the_owner_picks_the_page_to_draw_on_and_its_layout_places_the_same_selectors() throws Exception {
        long id = create("Products", "/product/*", SHOE).json().get("id").asLong();

        Response edited = server.request("PUT", "/api/sites/" + site.publicKey() + "/groups/" + id,
                "{\"name\": \"All products\", \"pattern\": \"/product/*\", \"screenshotPage\": \"" + HAT + "\"}");

        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.json().get("screenshotPage").asText()).isEqualTo(HAT);
        JsonNode map = server.get(site.publicKey(), "groups/" + id + "/heatmap", "raw", "true").json();
        assertThat(map.get("page").asText()).isEqualTo(HAT);
        assertThat(map.get("total").asLong()).isEqualTo(6);
        assertThat(map.get("notDrawn").asLong()).isZero();
        assertThat(countsIn(map, 860, 1180, 200, 40)).isEqualTo(4);
        assertThat(countsIn(map, 100, 2000, 300, 50)).isEqualTo(1);
        assertThat(countsIn(map, 80, 480, 200, 40)).isZero();
    }

    @Test
    void elements_are_pooled_by_selector_with_the_drawn_pages_boxes() throws Exception {
        long id = create("Products", "/product/*", null).json().get("id").asLong();

        Response elements = server.get(site.publicKey(), "groups/" + id + "/elements");

        assertThat(elements.status()).isEqualTo(200);
        assertThat(elements.json()).isEqualTo(JSON.readTree("""
                {"version": 1, "group": {"id": %d, "name": "Products", "pattern": "/product/*", "pages": 2},
                 "page": "%s", "pageviews": 3, "pageClicks": 6, "clicks": 5, "elements": [
                  {"selector": "#add-to-cart", "label": null, "clicks": 4, "share": 0.8, "rage": 0, "dead": 0,
                   "box": {"x": 80, "y": 480, "width": 200, "height": 40}},
                  {"selector": "#reviews", "label": null, "clicks": 1, "share": 0.2, "rage": 0, "dead": 0, "box": null}
                ]}""".formatted(id, SHOE)));
    }

    @Test
    void the_pages_list_shows_each_group_with_its_members_totals() throws Exception {
        long id = create("Products", "/product/*", null).json().get("id").asLong();

        for (Response pages : List.of(server.get(site.publicKey(), "pages"), server.get(site.publicKey(), "pages", "sort", "clicks"))) {
            assertThat(pages.status()).isEqualTo(200);
            assertThat(pages.json().get("groups")).isEqualTo(JSON.readTree("""
                    [{"id": %d, "name": "Products", "pattern": "/product/*", "pages": 2, "pageviews": 3, "clicks": 6, "moves": 0,
                      "devices": {"desktop": {"pageviews": 3, "clicks": 6, "moves": 0},
                                  "tablet": {"pageviews": 0, "clicks": 0, "moves": 0},
                                  "mobile": {"pageviews": 0, "clicks": 0, "moves": 0}}}]""".formatted(id)));
        }
        assertThat(server.get(site.publicKey(), "pages").json().get("pages")).hasSize(4);
    }

    @Test
    void a_page_seen_after_the_group_was_made_joins_it() throws Exception {
        long id = create("Products", "/product/*", null).json().get("id").asLong();
        long sock = traffic.page(site, "https://shop.example/product/sock");
        traffic.visit(site, sock).click(noon(1), 180, 500, "#add-to-cart").send();
        traffic.aggregate();

        JsonNode map = server.get(site.publicKey(), "groups/" + id + "/heatmap", "raw", "true").json();

        assertThat(map.get("group").get("pages").asInt()).isEqualTo(3);
        assertThat(map.get("pageviews").asLong()).isEqualTo(4);
        assertThat(countsIn(map, 80, 480, 200, 40)).isEqualTo(5);
        assertThat(server.get(site.publicKey(), "pages").json().get("groups").get(0).get("clicks").asLong()).isEqualTo(7);
    }

    @Test
    void a_segment_filter_pools_the_page_views_of_that_segment_alone() throws Exception {
        long id = create("Products", "/product/*", null).json().get("id").asLong();
        StoredTraffic.Visit fromSearch = StoredTraffic.Visit.DIRECT.referrer("search");
        Instant t = noon(1);
        traffic.visit(site, shoe).from(fromSearch).click(t, 180, 500, "#add-to-cart").click(t.plusSeconds(1), 180, 500, "#add-to-cart").send();
        traffic.visit(site, hat).from(fromSearch).click(t, 960, 1200, "#add-to-cart").send();
        traffic.visit(site, hat).from(StoredTraffic.Visit.DIRECT).click(t, 250, 2025, "#reviews").send();
        traffic.aggregate();

        JsonNode map = server.get(site.publicKey(), "groups/" + id + "/heatmap", "raw", "true", "referrer", "search").json();
        Response elements = server.get(site.publicKey(), "groups/" + id + "/elements", "referrer", "search");

        assertThat(map.get("pageviews").asLong()).isEqualTo(2);
        assertThat(map.get("total").asLong()).isEqualTo(3);
        assertThat(map.get("notDrawn").asLong()).isZero();
        // Both pages now have 3 page views: the tie goes by URL, so the group is drawn on the hat page.
        assertThat(map.get("page").asText()).isEqualTo(HAT);
        assertThat(countsIn(map, 860, 1180, 200, 40)).isEqualTo(3);
        assertThat(elements.json().get("pageviews").asLong()).isEqualTo(2);
        assertThat(elements.json().get("pageClicks").asLong()).isEqualTo(3);
        assertThat(elements.json().get("elements").findValuesAsText("selector")).containsExactly("#add-to-cart");
        assertThat(elements.json().at("/elements/0/clicks").asLong()).isEqualTo(3);
        // Unfiltered: every page view, those before segments were recorded included.
        assertThat(server.get(site.publicKey(), "groups/" + id + "/elements").json().get("pageviews").asLong()).isEqualTo(6);
    }

    @Test
    void bad_patterns_names_and_screenshot_pages_are_refused_naming_the_field() {
        for (String pattern : List.of("product/*", "/product/**", "/blog/:", "/blog/a:b", "/a//b", "/a b", "/a?b=1", "")) {
            Response refused = create("Bad", pattern, null);
            assertThat(refused.status()).as(pattern).isEqualTo(400);
            assertThat(refused.json().get("field").asText()).as(pattern).isEqualTo("pattern");
        }
        assertThat(server.get(site.publicKey(), "group-preview", "pattern", "blog").json().get("field").asText()).isEqualTo("pattern");
        assertThat(create("", "/product/*", null).json().get("field").asText()).isEqualTo("name");
        Response notMember = create("Products", "/product/*", BLOG);
        assertThat(notMember.status()).isEqualTo(400);
        assertThat(notMember.json().get("field").asText()).isEqualTo("screenshotPage");
        assertThat(create("Products", "/product/*", null).status()).isEqualTo(201);
        Response twice = create("Products", "/product/:id", null);
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.json().get("field").asText()).isEqualTo("name");
        assertThat(server.get("/api/sites/" + site.publicKey() + "/groups").json().get("groups")).hasSize(1);
    }

    @Test
    void a_deleted_or_unknown_group_is_not_found_and_a_group_without_pages_has_no_reports() {
        long id = create("Products", "/product/*", null).json().get("id").asLong();
        long empty = create("Nothing yet", "/checkout/*", null).json().get("id").asLong();

        Response noPages = server.get(site.publicKey(), "groups/" + empty + "/heatmap");
        assertThat(noPages.status()).isEqualTo(404);
        assertThat(noPages.json().get("field").asText()).isEqualTo("group");
        assertThat(server.request("DELETE", "/api/sites/" + site.publicKey() + "/groups/" + id, null).status()).isEqualTo(204);
        assertThat(server.get(site.publicKey(), "groups/" + id + "/elements").status()).isEqualTo(404);
        assertThat(server.get(site.publicKey(), "groups/x/heatmap").status()).isEqualTo(404);
        assertThat(server.get("/api/sites/" + site.publicKey() + "/groups").json().get("groups")).hasSize(1);
    }

    private Response create(String name, String pattern, String screenshotPage) {
        return server.postJson("/api/sites/" + site.publicKey() + "/groups", """
                {"name": %s, "pattern": %s, "screenshotPage": %s}""".formatted(quoted(name), quoted(pattern), quoted(screenshotPage)));
    }

    private static String quoted(String text) {
        return text == null ? "null" : JSON.valueToTree(text).toString();
    }

    /** The raw counts of the cells whose centres lie in a box of layout px. */
    private static long countsIn(JsonNode map, int x, int y, int width, int height) {
        int cell = map.get("cellSize").asInt(), columns = map.get("columns").asInt();
        JsonNode counts = map.get("counts");
        long sum = 0;
        for (int i = 0; i < counts.size(); i++) {
            double cx = (i % columns + 0.5) * cell, cy = (i / columns + 0.5) * cell;
            if (cx >= x && cx < x + width && cy >= y && cy < y + height) sum += counts.get(i).asLong();
        }
        return sum;
    }

    private static Instant noon(int daysAgo) {
        return TODAY.minusDays(daysAgo).atTime(12, 0).toInstant(ZoneOffset.UTC);
    }
}
