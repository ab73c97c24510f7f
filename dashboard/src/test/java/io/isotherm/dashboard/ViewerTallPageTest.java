package io.isotherm.dashboard;

import io.isotherm.db.site.Site;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 1440 × 40,000 px page: browsers refuse canvases much taller than 32,767 px, so the heat layer is tiled, and the
 * tiles must meet without a seam.
 */
class ViewerTallPageTest extends ViewerTest {
    static final String PAGE = "https://shop.example/catalogue";
    static final Traffic.Box FOOTER = new Traffic.Box("#footer-cta", 600, 38980, 240, 48);
    // Anchored at (700 + 8.5/16 · 40, 4076 + 8.5/16 · 40) = (721.25, 4097.25): the first cell row of the second tile.
    static final Traffic.Box EDGE = new Traffic.Box("#edge", 700, 4076, 40, 40);

    static Site site;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        Traffic traffic = server.traffic();
        site = traffic.site("UTC");
        long page = traffic.page(site, PAGE);
        traffic.capture(site, page, "desktop", 1440, 40_000, 2000, List.of(FOOTER, EDGE));
        Instant t = TODAY.minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);
        Traffic.Visit visit = traffic.visit(site, page, "desktop", 1440, 900, 40_000);
        for (int i = 0; i < 5; i++) visit.click(t.plusSeconds(i), 700, 39_000, "#footer-cta").click(t.plusSeconds(i), 720, 4096, "#edge");
        visit.send();
        traffic.aggregate();
        browser = ViewerBrowser.start(profile);
    }

    @Test
    void a_forty_thousand_px_page_is_drawn_in_tiles_down_to_its_bottom() {
        browser.open(server.viewUrl(site, PAGE, ""));

        assertThat(browser.number("isothermViewer.frames()[0].page.offsetHeight")).isEqualTo(40_000);
        assertThat(browser.findAll(".shots img")).hasSize(20);
        ViewerBrowser.Pixel footer = browser.pixel(0, 724, 39_004);
        assertThat(footer.a()).isEqualTo(255);
        assertThat(footer.distance(browser.topColour("viridis"))).isLessThan(40);
        @SuppressWarnings("unchecked")
        List<Number> heights = (List<Number>) browser.js(
                "return [...document.querySelectorAll('.heat canvas')].map((c) => c.height)");
        assertThat(heights).as("canvases of 2,048 px").hasSize(20);
        assertThat(heights.stream().mapToInt(Number::intValue).max().orElseThrow()).isLessThanOrEqualTo(2048);
        assertThat(heights.stream().mapToInt(Number::intValue).sum()).isEqualTo(40_000);
    }

    @Test
    void a_hotspot_across_a_tile_edge_is_continuous() {
        browser.open(server.viewUrl(site, PAGE, ""));

        // Rows 4088–4100 through the hotspot's centre column: canvas 2 ends at 4096, canvas 3 begins there. Going down
        // towards the peak (row 4100), the colour index climbs in small steps, the step across the edge included.
        List<Integer> indices = new ArrayList<>();
        for (int y = 4088; y <= 4100; y++) indices.add(index(browser.pixel(0, 724, y)));
        List<Integer> steps = new ArrayList<>();
        for (int i = 1; i < indices.size(); i++) steps.add(indices.get(i) - indices.get(i - 1));
        int across = steps.get(4096 - 4088 - 1 + 1 - 1); // from 4095 to 4096
        int largestElsewhere = 0;
        for (int i = 0; i < steps.size(); i++) if (i != 7) largestElsewhere = Math.max(largestElsewhere, Math.abs(steps.get(i)));
        assertThat(steps).as("indices %s", indices).allMatch(s -> s >= -1);
        assertThat(Math.abs(across)).as("indices %s", indices).isLessThanOrEqualTo(largestElsewhere + 2);
    }

    private static int index(ViewerBrowser.Pixel p) {
        List<ViewerBrowser.Pixel> lut = browser.lut("viridis");
        int best = 0;
        for (int i = 1; i < 256; i++) if (lut.get(i).distance(p) < lut.get(best).distance(p)) best = i;
        return best;
    }
}
