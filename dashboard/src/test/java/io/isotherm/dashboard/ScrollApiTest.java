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
import java.util.stream.IntStream;

import static io.isotherm.dashboard.DashboardServer.JSON;
import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

class ScrollApiTest {
    private static final String PAGE = "https://shop.example/pricing";
    private static final Instant T0 = TODAY.minusDays(3).atTime(12, 0).toInstant(ZoneOffset.UTC);

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
    void reach_is_the_share_of_page_views_whose_deepest_point_got_at_least_that_far() {
        // Documents 5000 px tall. A visitor who never scrolls saw the first screen: 900 px, 18 %.
        traffic.visit(site, page).click(T0, 10, 10, "#logo").send();
        traffic.visit(site, page, "desktop", 1440, 1000, 5000).click(T0, 10, 10, "#logo").send();   // 1000 px, 20 %
        traffic.visit(site, page, "desktop", 1440, 700, 5000).scroll(T0, 2500, null).send();        // 2500 px, 50 %
        // The reader goes deeper in a later batch, aggregated in a later run: it leaves a zero behind at 30 %.
        Traffic.Visit reader = traffic.visit(site, page);
        reader.scroll(T0, 1500, null).send();
        traffic.aggregate();
        reader.scroll(T0.plusSeconds(60), 4000, null).send();                                      // 4000 px, 80 %
        traffic.visit(site, page, "mobile", 390, 800, 5000).scroll(T0, 5000, null).send();         // another device class
        traffic.aggregate();
        assertThat(zeroRows()).isEqualTo(2);

        JsonNode scroll = server.get(site.publicKey(), "scroll", "page", PAGE).json();

        assertThat(scroll.get("pageviews").asLong()).isEqualTo(4);
        List<Double> reach = new ArrayList<>();
        for (int p = 0; p <= 100; p++) reach.add(p <= 18 ? 1.0 : p <= 20 ? 0.75 : p <= 50 ? 0.5 : p <= 80 ? 0.25 : 0.0);
        assertThat(scroll.get("reach").findValues("percent").stream().map(JsonNode::asInt).toList())
                .containsExactlyElementsOf(IntStream.rangeClosed(0, 100).boxed().toList());
        assertThat(scroll.get("reach").findValues("share").stream().map(JsonNode::asDouble).toList()).isEqualTo(reach);
        // Buckets of 50 px, down to the deepest one reached (4000 px).
        JsonNode reachPx = scroll.get("reachPx");
        assertThat(reachPx).hasSize(81);
        for (int b = 0; b <= 80; b++) {
            assertThat(reachPx.get(b).get("y").asInt()).isEqualTo(b * 50);
            assertThat(reachPx.get(b).get("share").asDouble()).as("y = %d", b * 50)
                    .isEqualTo(b <= 18 ? 1.0 : b <= 20 ? 0.75 : b <= 50 ? 0.5 : 0.25);
        }
        // Viewports 700, 900, 900, 1000: the running count reaches half (2 of 4) in the 900 px bucket.
        assertThat(scroll.get("fold").asInt()).isEqualTo(900);
        assertThat(scroll.get("attention")).isEmpty();

        JsonNode mobile = server.get(site.publicKey(), "scroll", "page", PAGE, "device", "mobile").json();
        assertThat(mobile.get("pageviews").asLong()).isEqualTo(1);
        assertThat(mobile.at("/reach/100/share").asDouble()).isEqualTo(1.0);
        assertThat(mobile.get("fold").asInt()).isEqualTo(800);
    }

    @Test
    void on_a_page_that_scrolls_a_container_the_fold_is_the_containers_bottom_edge_at_scroll_0() {
        // As the tracker reports an app (docs/COLLECT-API.md, "Scroll containers"): a 56 px header, a container 744 px
        // tall with 3944 px of content, a 100 px tab bar below it in a 900 px window. Page px of the unrolled page:
        // document 56 + 3944 = 4000 px, fold 56 + 744 = 800 px (not the window's 900), deepest point 800 + scrollTop.
        traffic.visit(site, page, "desktop", 1440, 800, 4000).click(T0, 10, 10, "#compose").send(); // 800 px, 20 %
        for (int scrollTop : new int[] {1200, 2200, 3200}) {                                          // 50, 75, 100 %
            traffic.visit(site, page, "desktop", 1440, 800, 4000).scroll(T0, 800 + scrollTop, null).send();
        }
        traffic.aggregate();

        JsonNode scroll = server.get(site.publicKey(), "scroll", "page", PAGE).json();

        assertThat(scroll.get("fold").asInt()).isEqualTo(800);
        // A visitor who never scrolled saw 20 %: nobody is counted at 21 % for a window taller than the container.
        List<Double> reach = new ArrayList<>();
        for (int p = 0; p <= 100; p++) reach.add(p <= 20 ? 1.0 : p <= 50 ? 0.75 : p <= 75 ? 0.5 : 0.25);
        assertThat(scroll.get("reach").findValues("share").stream().map(JsonNode::asDouble).toList()).isEqualTo(reach);
    }

    @Test
    void attention_is_the_time_each_band_was_in_view_and_its_share_of_the_most_seen_band() {
        // Viewport 900 px: bottom at 1800 for 3 s shows 900–1800; bottom at 1000 for 1 s shows 100–1000.
        traffic.visit(site, page).scroll(T0, 1800, 3000).scroll(T0.plusSeconds(3), 1000, 1000).send();
        traffic.aggregate();

        JsonNode attention = server.get(site.publicKey(), "scroll", "page", PAGE).json().get("attention");

        // Bands whose middle was on screen: 2–19 for the second sample, 18–35 for the first.
        assertThat(attention).hasSize(34);
        for (JsonNode band : attention) {
            int b = band.get("y").asInt() / 50;
            double seconds = b < 18 ? 1 : b < 20 ? 4 : 3;
            assertThat(band.get("height").asInt()).isEqualTo(50);
            assertThat(band.get("visibleSeconds").asDouble()).as("band %d", b).isEqualTo(seconds);
            assertThat(band.get("share").asDouble()).as("band %d", b).isEqualTo(seconds / 4);
        }
        assertThat(attention.get(0).get("y").asInt()).isEqualTo(100);
        assertThat(attention.get(33).get("y").asInt()).isEqualTo(1750);
    }

    @Test
    void a_page_without_page_views_in_the_range_has_zeros_and_empty_lists() throws Exception {
        traffic.visit(site, page).scroll(T0, 1800, 3000).send();
        traffic.aggregate();

        var response = server.get(site.publicKey(), "scroll", "page", PAGE, "device", "tablet");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json()).isEqualTo(JSON.readTree("""
                {"version": 1, "pageviews": 0, "reach": [], "reachPx": [], "fold": null, "attention": []}"""));
    }

    /** Histogram rows a page view moved out of. */
    private int zeroRows() {
        return server.db().jdbi().withHandle(h -> h.createQuery("""
                        SELECT (SELECT count(*) FROM scroll_depth_percent WHERE pageviews = 0)
                             + (SELECT count(*) FROM scroll_depth_px WHERE pageviews = 0)""")
                .mapTo(Integer.class).one());
    }
}
