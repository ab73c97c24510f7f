package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.db.site.Site;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static io.isotherm.dashboard.DashboardServer.JSON;
import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

class ElementsApiTest {
    private static final String PAGE = "https://shop.example/pricing";

    private final DashboardServer server = DashboardServer.start();
    private final Traffic traffic = server.traffic();
    private Site site;
    private long page;

    @BeforeEach
    void setUp() {
        site = traffic.site("UTC");
        page = traffic.page(site, PAGE);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void elements_by_clicks_with_their_share_rage_and_dead_clicks_and_their_box_on_the_current_layout() throws Exception {
        Instant t = noon(2);
        traffic.visit(site, page)
                .click(t, 700, 1010, "#buy").rageClick(t.plusSeconds(1), 701, 1011, "#buy")
                .deadClick(t.plusSeconds(2), 300, 2000, "main>p")
                .click(t.plusSeconds(3), 5, 5, null) // no selector: on the heatmap, not an element
                .send();
        traffic.visit(site, page).click(noon(5), 700, 1010, "#buy").send();
        traffic.visit(site, page).click(noon(6), 700, 1010, "#buy").send(); // before the range
        traffic.visit(site, page, "mobile", 390, 800, 3000).click(t, 100, 500, "#buy").send();
        traffic.aggregate();
        traffic.layout(site, page, "desktop", "#buy", 600, 1000, 240, 48);
        traffic.layout(site, page, "mobile", "#buy", 20, 480, 350, 44);

        var desktop = server.get(site.publicKey(), "elements", "page", PAGE, "from", TODAY.minusDays(5).toString(), "to", TODAY.toString());

        assertThat(desktop.status()).isEqualTo(200);
        assertThat(desktop.json()).isEqualTo(JSON.readTree("""
                {"version": 1, "pageviews": 2, "pageClicks": 5, "clicks": 4, "elements": [
                  {"selector": "#buy", "label": null, "clicks": 3, "share": 0.75, "rage": 1, "dead": 0,
                   "box": {"x": 600, "y": 1000, "width": 240, "height": 48}},
                  {"selector": "main>p", "label": null, "clicks": 1, "share": 0.25, "rage": 0, "dead": 1, "box": null}
                ]}"""));

        var mobile = server.get(site.publicKey(), "elements", "page", PAGE, "device", "mobile");
        assertThat(mobile.json()).isEqualTo(JSON.readTree("""
                {"version": 1, "pageviews": 1, "pageClicks": 1, "clicks": 1, "elements": [
                  {"selector": "#buy", "label": null, "clicks": 1, "share": 1.0, "rage": 0, "dead": 0,
                   "box": {"x": 20, "y": 480, "width": 350, "height": 44}}
                ]}"""));
    }

    @Test
    void each_element_carries_the_label_its_current_layout_took_from_the_page_or_null() throws Exception {
        Instant t = noon(1);
        traffic.visit(site, page)
                .click(t, 700, 1010, "#buy").click(t.plusSeconds(1), 701, 1011, "#buy")
                .click(t.plusSeconds(2), 30, 30, "#logo")
                .click(t.plusSeconds(3), 300, 2000, "main>p")
                .send();
        traffic.aggregate();
        traffic.capture(site, page, "desktop", 1440, 3000, 1000, List.of(
                new Traffic.Box("#buy", 600, 1000, 240, 48, "Buy Pro <b>now</b>"),
                new Traffic.Box("#logo", 20, 10, 100, 40))); // a capture may find no label

        var response = server.get(site.publicKey(), "elements", "page", PAGE);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("elements").findValuesAsText("selector")).containsExactly("#buy", "#logo", "main>p");
        List<JsonNode> labels = new ArrayList<>();
        response.json().get("elements").forEach(e -> labels.add(e.get("label")));
        assertThat(labels).extracting(JsonNode::isNull).containsExactly(false, true, true); // main>p: not on the layout
        assertThat(labels.get(0).asText()).isEqualTo("Buy Pro <b>now</b>"); // text, as the page said it
    }

    @Test
    void a_page_without_clicks_in_the_range_has_no_elements() throws Exception {
        traffic.visit(site, page).move(noon(1), 10, 10).send();
        traffic.aggregate();

        var response = server.get(site.publicKey(), "elements", "page", PAGE);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json()).isEqualTo(JSON.readTree("""
                {"version": 1, "pageviews": 1, "pageClicks": 0, "clicks": 0, "elements": []}"""));
    }

    private static Instant noon(int daysAgo) {
        return TODAY.minusDays(daysAgo).atTime(12, 0).toInstant(ZoneOffset.UTC);
    }
}
