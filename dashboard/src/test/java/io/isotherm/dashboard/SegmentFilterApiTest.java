package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.db.site.Site;
import io.isotherm.testing.StoredTraffic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every page report filtered by traffic segment counts exactly the page views of that segment: the heatmap (clicks and
 * moves), the elements table and the scroll map, for each dimension and for two at once; page views stored before
 * segments were recorded match no filter but count unfiltered.
 */
class SegmentFilterApiTest {
    private static final String PAGE = "https://shop.example/landing";
    private static final StoredTraffic.Visit SPRING_A = StoredTraffic.Visit.DIRECT.referrer("search")
            .campaign("news", "email", "spring").variant("A").timeZone("Europe/Paris");
    private static final StoredTraffic.Visit SPRING_B = SPRING_A.variant("B").browser("Safari", "iOS").timeZone("Asia/Tokyo");
    private static final StoredTraffic.Visit DIRECT_A = StoredTraffic.Visit.DIRECT.variant("A").timeZone("America/New_York");

    private static DashboardServer server;
    private static Site site;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        Traffic traffic = server.traffic();
        site = traffic.site("UTC");
        long page = traffic.page(site, PAGE);
        Instant t = TODAY.minusDays(2).atTime(12, 0).toInstant(ZoneOffset.UTC);
        // Spring, variant A: 2 clicks on #buy, 3 moves, scrolled to 2,500 of 5,000 px.
        traffic.visit(site, page).from(SPRING_A)
                .click(t, 700, 1010, "#buy").click(t.plusSeconds(1), 702, 1012, "#buy")
                .move(t.plusSeconds(2), 100, 100).move(t.plusSeconds(3), 200, 200).move(t.plusSeconds(4), 300, 300)
                .scroll(t.plusSeconds(5), 2500, null).send();
        // Spring, variant B (a day earlier): a dead click on the hero and a rage click on #buy; scrolled to the end.
        traffic.visit(site, page).from(SPRING_B)
                .deadClick(t.minusSeconds(86_400), 300, 400, "#hero").rageClick(t.minusSeconds(86_399), 700, 1010, "#buy")
                .scroll(t.minusSeconds(86_398), 5000, null).send();
        // No campaign, variant A: one click on #buy, two batches.
        Traffic.Visit direct = traffic.visit(site, page).from(DIRECT_A);
        direct.click(t, 700, 1010, "#buy").send();
        direct.move(t.plusSeconds(60), 50, 50).send();
        // Stored before segments were recorded: a click on #buy.
        traffic.visit(site, page).click(t, 700, 1010, "#buy").send();
        traffic.aggregate();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_campaign_s_heatmap_holds_exactly_its_page_views_clicks_and_moves() {
        JsonNode all = heatmap("click");
        assertThat(all.get("pageviews").asLong()).isEqualTo(4);
        assertThat(all.get("total").asLong()).isEqualTo(6);

        JsonNode spring = heatmap("click", "utm_campaign", "spring");
        assertThat(spring.get("pageviews").asLong()).isEqualTo(2);
        assertThat(spring.get("total").asLong()).isEqualTo(4);
        assertThat(heatmap("move", "utm_campaign", "spring").get("total").asLong()).isEqualTo(3);

        JsonNode variantA = heatmap("click", "variant", "A");
        assertThat(variantA.get("pageviews").asLong()).isEqualTo(2);
        assertThat(variantA.get("total").asLong()).isEqualTo(3);
        assertThat(heatmap("move", "variant", "A").get("total").asLong()).isEqualTo(4);

        JsonNode both = heatmap("click", "utm_campaign", "spring", "variant", "B");
        assertThat(both.get("pageviews").asLong()).isEqualTo(1);
        assertThat(both.get("total").asLong()).isEqualTo(2);
        // The counts are where that page view clicked: the hero's cell and #buy's.
        assertThat(nonZeroCounts(both)).isEqualTo(2);

        JsonNode none = heatmap("click", "utm_campaign", "");
        assertThat(none.get("pageviews").asLong()).isEqualTo(1);
        assertThat(none.get("total").asLong()).isEqualTo(1);
    }

    @Test
    void country_browser_os_and_referrer_filter_by_what_the_collector_stored() {
        assertThat(heatmap("click", "country", "JP").get("total").asLong()).isEqualTo(2);
        assertThat(heatmap("click", "country", "FR").get("total").asLong()).isEqualTo(2);
        assertThat(heatmap("click", "country", "US").get("total").asLong()).isEqualTo(1);
        assertThat(heatmap("click", "country", "DE").get("pageviews").asLong()).isZero();
        assertThat(heatmap("click", "country", "DE").get("total").asLong()).isZero();
        assertThat(heatmap("click", "browser", "Safari", "os", "iOS").get("total").asLong()).isEqualTo(2);
        assertThat(heatmap("click", "referrer", "direct").get("total").asLong()).isEqualTo(1);
        assertThat(heatmap("click", "referrer", "search").get("pageviews").asLong()).isEqualTo(2);
    }

    @Test
    void a_range_holds_only_its_days_of_the_segment() {
        JsonNode lastDay = heatmap("click", "utm_campaign", "spring", "from", TODAY.minusDays(2).toString(), "to", TODAY.toString());
        assertThat(lastDay.get("pageviews").asLong()).isEqualTo(1);
        assertThat(lastDay.get("total").asLong()).isEqualTo(2);
    }

    @Test
    void the_elements_table_of_a_segment() {
        JsonNode spring = server.get(site.publicKey(), "elements", "page", PAGE, "utm_campaign", "spring").json();
        assertThat(spring.get("pageviews").asLong()).isEqualTo(2);
        assertThat(spring.get("pageClicks").asLong()).isEqualTo(4);
        assertThat(rows(spring.get("elements"))).containsExactly("#buy 3 rage 1 dead 0", "#hero 1 rage 0 dead 1");

        JsonNode variantA = server.get(site.publicKey(), "elements", "page", PAGE, "variant", "A").json();
        assertThat(variantA.get("pageviews").asLong()).isEqualTo(2);
        assertThat(rows(variantA.get("elements"))).containsExactly("#buy 3 rage 0 dead 0");

        JsonNode all = server.get(site.publicKey(), "elements", "page", PAGE).json();
        assertThat(rows(all.get("elements"))).containsExactly("#buy 5 rage 1 dead 0", "#hero 1 rage 0 dead 1");
    }

    @Test
    void the_scroll_map_of_a_segment() {
        JsonNode spring = server.get(site.publicKey(), "scroll", "page", PAGE, "utm_campaign", "spring").json();
        assertThat(spring.get("pageviews").asLong()).isEqualTo(2);
        // Both of spring's page views reached 50 % (2,500 of 5,000 px), only one the end.
        assertThat(reach(spring, 50)).isEqualTo(1.0);
        assertThat(reach(spring, 51)).isEqualTo(0.5);
        assertThat(reach(spring, 100)).isEqualTo(0.5);

        JsonNode b = server.get(site.publicKey(), "scroll", "page", PAGE, "variant", "B").json();
        assertThat(b.get("pageviews").asLong()).isEqualTo(1);
        assertThat(reach(b, 100)).isEqualTo(1.0);
    }

    @Test
    void the_values_each_dimension_takes_with_their_page_views() {
        JsonNode segments = server.get(site.publicKey(), "segments", "page", PAGE).json().get("segments");
        assertThat(values(segments.get("utm_campaign"))).containsExactly("spring 2", " 1");
        assertThat(values(segments.get("variant"))).containsExactly("A 2", "B 1");
        assertThat(values(segments.get("referrer"))).containsExactly("search 2", "direct 1");
        assertThat(values(segments.get("browser"))).containsExactlyInAnyOrder("Chrome 2", "Safari 1");
        assertThat(values(segments.get("country"))).containsExactlyInAnyOrder("FR 1", "JP 1", "US 1");
        assertThat(segments.get("country").findValuesAsText("name")).containsExactlyInAnyOrder("France", "Japan", "United States");
        // The site's segments in a range without the earlier day: variant B's page view is not in it.
        JsonNode lastDay = server.get(site.publicKey(), "segments", "from", TODAY.minusDays(2).toString(), "to", TODAY.toString())
                .json().get("segments");
        assertThat(values(lastDay.get("variant"))).containsExactly("A 2");
    }

    @Test
    void a_filter_it_cannot_use_is_refused_naming_the_parameter() {
        var bad = server.get(site.publicKey(), "heatmap", "page", PAGE, "kind", "click", "referrer", "google");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().toString()).contains("referrer");
        var country = server.get(site.publicKey(), "elements", "page", PAGE, "country", "France");
        assertThat(country.status()).isEqualTo(400);
        assertThat(country.json().toString()).contains("country");
    }

    private static JsonNode heatmap(String kind, String... filter) {
        List<String> params = new ArrayList<>(List.of("page", PAGE, "kind", kind, "raw", "true", "sigma", "4"));
        params.addAll(List.of(filter));
        var answer = server.get(site.publicKey(), "heatmap", params.toArray(String[]::new));
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        return answer.json();
    }

    private static int nonZeroCounts(JsonNode heatmap) {
        int n = 0;
        for (JsonNode c : heatmap.get("counts")) if (c.asDouble() > 0) n++;
        return n;
    }

    private static List<String> rows(JsonNode elements) {
        List<String> rows = new ArrayList<>();
        elements.forEach(e -> rows.add(e.get("selector").asText() + " " + e.get("clicks").asLong() + " rage " + e.get("rage").asLong()
                + " dead " + e.get("dead").asLong()));
        return rows;
    }

    private static List<String> values(JsonNode values) {
        List<String> rows = new ArrayList<>();
        values.forEach(v -> rows.add(v.get("value").asText() + " " + v.get("pageviews").asLong()));
        return rows;
    }

    private static double reach(JsonNode scroll, int percent) {
        for (JsonNode r : scroll.get("reach")) if (r.get("percent").asInt() == percent) return r.get("share").asDouble();
        throw new AssertionError("no reach at " + percent + " %");
    }
}
