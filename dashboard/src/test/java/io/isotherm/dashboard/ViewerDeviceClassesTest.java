package io.isotherm.dashboard;

import io.isotherm.grid.GridGeometry;
import io.isotherm.db.site.Site;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The viewer takes its device classes from the platform (GET /api/platform): a layout width configured on the server
 * (ISOTHERM_LAYOUT_WIDTH_TABLET here) is the width it draws a page at, and its device controls are the platform's.
 */
class ViewerDeviceClassesTest extends ViewerTest {
    static final String PAGE = "https://shop.example/guide";
    static final int TABLET_WIDTH = 1000; // the default is 820

    static Site site;

    @BeforeAll
    static void start() {
        GridGeometry d = GridGeometry.defaults();
        Map<String, Integer> widths = new HashMap<>(GridGeometry.DEFAULT_LAYOUT_WIDTHS);
        widths.put("tablet", TABLET_WIDTH);
        server = DashboardServer.start(new GridGeometry(d.cellSize(), d.bucketPx(), widths));
        Traffic traffic = server.traffic();
        site = traffic.site("UTC");
        long page = traffic.page(site, PAGE);
        // Two tablet page views, one 1,500 px deep, one 3,000; no screenshot of the page.
        Instant t = TODAY.minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);
        for (int depth : new int[]{1500, 3000}) traffic.visit(site, page, "tablet", TABLET_WIDTH, 1200, 4000).scroll(t, depth, null).send();
        traffic.aggregate();
        browser = ViewerBrowser.start(profile);
    }

    @Test
    void a_page_without_a_screenshot_is_drawn_at_the_platforms_layout_width() {
        // The scroll report has no width of its own: the page's width is the device class's layout width.
        browser.open(server.viewUrl(site, PAGE, "&map=scroll&device=tablet"));

        assertThat(browser.number("isothermViewer.frames()[0].page.offsetWidth")).isEqualTo(TABLET_WIDTH);
        assertThat(browser.text(".placeholder-card")).contains("with a headless browser at 1,000 px (Tablet)");
        assertThat(browser.text(".frame-head")).contains("Tablet").contains("2 page views");
    }

    @Test
    void the_device_switch_and_the_compare_options_are_the_platforms_device_classes() {
        browser.open(server.viewUrl(site, PAGE, "&device=tablet&cmp=device&cdevice=mobile"));

        assertThat(browser.js("return [...document.querySelectorAll('#device-switch input')].map((i) => i.value)"))
                .isEqualTo(List.of("desktop", "tablet", "mobile"));
        assertThat(browser.js("return [...document.querySelectorAll('#device-switch span')].map((s) => s.firstChild.textContent)"))
                .isEqualTo(List.of("Desktop", "Tablet", "Mobile"));
        assertThat(browser.find("#device-switch input[value=tablet]").isSelected()).isTrue();
        assertThat(browser.text("[data-hint=tablet]")).isEqualTo("2 views");
        assertThat(browser.js("return [...document.querySelectorAll('select[name=cdevice] option')].map((o) => o.value + ' ' + o.text)"))
                .isEqualTo(List.of("desktop Desktop", "tablet Tablet", "mobile Mobile"));
        assertThat(browser.find("select[name=cdevice]").getAttribute("value")).isEqualTo("mobile");
    }

    @Test
    void a_device_class_the_platform_does_not_list_falls_back_to_the_first() {
        browser.open(server.viewUrl(site, PAGE, "&device=watch"));

        assertThat(browser.find("#device-switch input[value=desktop]").isSelected()).isTrue();
        assertThat(browser.text(".frame-head strong")).isEqualTo("Desktop");
    }
}
