package io.isotherm.dashboard;

import io.isotherm.dashboard.ViewerBrowser.Pixel;
import io.isotherm.db.site.Site;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

/** The scroll and attention maps: bands, fold and reach lines, and what hovering says, against known visits. */
class ViewerScrollMapTest extends ViewerTest {
    static final String PAGE = "https://shop.example/long-read";
    static final Instant T0 = TODAY.minusDays(3).atTime(12, 0).toInstant(ZoneOffset.UTC);

    static Site site;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        Traffic traffic = server.traffic();
        site = traffic.site("UTC");
        long page = traffic.page(site, PAGE);
        traffic.capture(site, page, "desktop", 1440, 5000, 1000, List.of());
        // Viewports 900 px tall; deepest points 1000, 2000, 3000 and 4000 px. The first rests 2 s at the top.
        traffic.visit(site, page).scroll(T0, 1000, 2000).send();
        for (int depth : new int[]{2000, 3000, 4000}) traffic.visit(site, page).scroll(T0, depth, null).send();
        traffic.aggregate();
        browser = ViewerBrowser.start(profile);
    }

    static String view(String query) {
        return server.viewUrl(site, PAGE, query);
    }

    @Test
    void hovering_says_which_share_of_visitors_reached_that_depth() {
        browser.open(view("&map=scroll"));

        browser.hover(0, 700, 2500);
        assertThat(browser.text("#tooltip")).contains("50.0 % of visitors reached this point").contains("2,500 px from the top");
        browser.hover(0, 700, 1020);
        assertThat(browser.text("#tooltip")).contains("100.0 % of visitors reached this point");
        browser.hover(0, 700, 1060);
        assertThat(browser.text("#tooltip")).contains("75.0 % of visitors reached this point");
        browser.hover(0, 700, 4080);
        assertThat(browser.text("#tooltip")).contains("0.0 % of visitors reached this point");
    }

    @Test
    void the_fold_and_the_reach_lines_are_at_the_known_depths() {
        browser.open(view("&map=scroll"));

        assertThat(browser.boxOnPage(0, "[data-mark=fold]").get("y")).isEqualTo(900);
        assertThat(browser.text("[data-mark=fold]")).isEqualTo("Average fold · 900 px");
        // 75 % got at least 2000 px down, 50 % 3000 px, 25 % 4000 px.
        assertThat(browser.boxOnPage(0, "[data-mark=reach-75]").get("y")).isEqualTo(2000);
        assertThat(browser.boxOnPage(0, "[data-mark=reach-50]").get("y")).isEqualTo(3000);
        assertThat(browser.boxOnPage(0, "[data-mark=reach-25]").get("y")).isEqualTo(4000);
        assertThat(browser.text("[data-mark=reach-50]")).isEqualTo("50 % reached");
        // Bands coloured by reach: everyone saw the top, nobody the bottom.
        // The bands cover the whole page: capped at 30 % so they never wash it out (issue 14; they were opaque).
        // The canvas keeps premultiplied colours: read back at alpha 77, a channel may be 1 off.
        Pixel band = browser.pixel(0, 700, 300);
        assertThat(band.a()).isEqualTo(77);
        assertThat(band.distance(browser.topColour("viridis"))).isLessThanOrEqualTo(2);
        assertThat(browser.pixel(0, 700, 4800).transparent()).isTrue();
        assertThat(browser.text(".legend-title")).isEqualTo("% of visitors who reached this depth");
    }

    @Test
    void the_attention_map_shows_seconds_in_view_per_visitor() {
        browser.open(view("&map=attention"));

        // 2 s over 4 page views on the bands whose middle was on screen (100–1000 px).
        browser.hover(0, 700, 500);
        assertThat(browser.text("#tooltip")).contains("0.5 s in view per visitor");
        browser.hover(0, 700, 1500);
        assertThat(browser.text("#tooltip")).contains("0 s in view per visitor");
        Pixel most = browser.pixel(0, 700, 500);
        assertThat(most.a()).as("capped at 30 %, like the scroll bands").isEqualTo(77);
        assertThat(most.distance(browser.topColour("viridis"))).isLessThanOrEqualTo(2);
        assertThat(browser.pixel(0, 700, 1500).transparent()).isTrue();
        assertThat(browser.text(".legend-title")).isEqualTo("Seconds in view per visitor");
    }
}
