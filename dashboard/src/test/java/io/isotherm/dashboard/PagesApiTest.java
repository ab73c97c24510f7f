package io.isotherm.dashboard;

import io.isotherm.db.site.Site;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;

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
                {"pages": [
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
                ]}"""));
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
        assertThat(response.json()).isEqualTo(JSON.readTree("{\"pages\": []}"));
    }

    private static Instant noon(int daysAgo) {
        return TODAY.minusDays(daysAgo).atTime(12, 0).toInstant(ZoneOffset.UTC);
    }
}
