package io.isotherm.dashboard;

import io.isotherm.dashboard.ViewerBrowser.Pixel;
import io.isotherm.db.site.Site;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Comparing two date ranges: the difference map of clicks per page view (red where A had more, blue where it had
 * fewer) and the synchronised side-by-side frames.
 */
class ViewerCompareTest extends ViewerTest {
    static final String PAGE = "https://shop.example/";
    static final Traffic.Box NEW_CTA = new Traffic.Box("#new-cta", 200, 400, 200, 60);
    static final Traffic.Box OLD_CTA = new Traffic.Box("#old-cta", 1000, 400, 200, 60);
    static final Traffic.Box NAV = new Traffic.Box("#nav", 600, 100, 200, 40);
    static final LocalDate A_FROM = TODAY.minusDays(6), B_FROM = TODAY.minusDays(13), B_TO = TODAY.minusDays(7);

    static Site site;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        Traffic traffic = server.traffic();
        site = traffic.site("UTC");
        long page = traffic.page(site, PAGE);
        traffic.capture(site, page, "desktop", 1440, 2000, 1000, List.of(NEW_CTA, OLD_CTA, NAV));
        Instant a = TODAY.minusDays(2).atTime(12, 0).toInstant(ZoneOffset.UTC);
        Instant b = TODAY.minusDays(9).atTime(12, 0).toInstant(ZoneOffset.UTC);
        // A: 2 page views; 2 clicks on the new call to action, 1 on the navigation (0.5 per page view).
        traffic.visit(site, page).click(a, 300, 430, "#new-cta").click(a.plusSeconds(1), 300, 430, "#new-cta").send();
        traffic.visit(site, page).click(a, 700, 120, "#nav").send();
        // B: 8 page views; 3 clicks on the old call to action, 2 on the navigation: more than A in all, but only
        // 0.25 per page view.
        for (int i = 0; i < 8; i++) {
            Traffic.Visit visit = traffic.visit(site, page);
            if (i < 3) visit.click(b, 1100, 430, "#old-cta");
            if (i >= 3 && i < 5) visit.click(b, 700, 120, "#nav");
            visit.move(b, 10, 1900).send();
        }
        traffic.aggregate();
        browser = ViewerBrowser.start(profile);
    }

    static String view(String query) {
        return server.viewUrl(site, PAGE, "&from=" + A_FROM + "&to=" + TODAY + "&cmp=range&cfrom=" + B_FROM + "&cto=" + B_TO + query);
    }

    /** The middle of the 8 px cell where the box's anchored clicks land: its middle bin of 16. */
    static int[] centre(Traffic.Box box) {
        double x = box.x() + 8.5 / 16 * box.width(), y = box.y() + 8.5 / 16 * box.height();
        return new int[]{(int) (x / 8) * 8 + 4, (int) (y / 8) * 8 + 4};
    }

    /** The diverging table's index whose colour is nearest to a pixel. */
    static int index(Pixel p) {
        List<Pixel> lut = browser.lut("diverging");
        int best = 0;
        for (int i = 1; i < 256; i++) if (lut.get(i).distance(p) < lut.get(best).distance(p)) best = i;
        return best;
    }

    @Test
    void the_difference_map_is_red_where_a_had_more_clicks_per_page_view_and_blue_where_it_had_fewer() {
        browser.open(view("&cmode=diff"));

        assertThat(browser.findAll(".frame")).hasSize(1);
        Pixel more = browser.pixel(0, centre(NEW_CTA)[0], centre(NEW_CTA)[1]);
        Pixel fewer = browser.pixel(0, centre(OLD_CTA)[0], centre(OLD_CTA)[1]);
        Pixel perPageView = browser.pixel(0, centre(NAV)[0], centre(NAV)[1]);
        // Per page view at the peaks, relative to the largest difference (#new-cta: 2 clicks / 2 page views in A):
        // #new-cta +1, #old-cta −3/8, #nav 1/2 − 2/8 = +1/4. The diverging table has "no change" at 127.5.
        assertThat(more.a()).isEqualTo(255);
        assertThat(more.r() - more.b()).as("red: %s", more).isGreaterThan(100);
        assertThat(index(more)).isGreaterThanOrEqualTo(245);
        // Transparency follows the size of the difference (issue 14; they were opaque): min(1, 1.4·√(distance from 127.5)).
        assertThat(fewer.a()).isBetween(200, 230);
        assertThat(fewer.b() - fewer.r()).as("blue: %s", fewer).isGreaterThan(30);
        assertThat(index(fewer)).as("127.5 − 3/8 · 127.5 = 80").isBetween(75, 95);
        // 1 click in 2 page views against 2 in 8: more per page view in A, though B had more clicks.
        assertThat(perPageView.a()).isBetween(160, 195);
        assertThat(perPageView.r() - perPageView.b()).as("red: %s", perPageView).isGreaterThan(30);
        assertThat(index(perPageView)).as("127.5 + 1/4 · 127.5 = 159").isBetween(150, 165);
        assertThat(browser.pixel(0, 700, 1500).transparent()).isTrue();
        assertThat(browser.text(".legend-title")).isEqualTo("Clicks per 1,000 page views in one spot, A − B");

        // A's 2 clicks in 2 page views against none in B near the pointer: +1,000 per 1,000 page views.
        browser.hover(0, centre(NEW_CTA)[0], centre(NEW_CTA)[1]);
        assertThat(browser.text("#tooltip")).startsWith("+1,000 clicks per 1,000 page views within ").contains("#new-cta");
    }

    @Test
    void side_by_side_shows_both_ranges_in_frames_that_scroll_together() {
        // At 100 %: both pages are as tall as they are, so the second frame follows to the very same px.
        browser.open(view("&zoom=100"));

        assertThat(browser.findAll(".frame")).hasSize(2);
        assertThat(browser.text(".frame-wrap:nth-child(1) .frame-head")).contains("A · Desktop").contains("2 page views");
        assertThat(browser.text(".frame-wrap:nth-child(2) .frame-head")).contains("B · Desktop").contains("8 page views");
        assertThat(browser.pixel(0, centre(NEW_CTA)[0], centre(NEW_CTA)[1]).a()).isEqualTo(255);
        assertThat(browser.pixel(1, centre(NEW_CTA)[0], centre(NEW_CTA)[1]).transparent()).isTrue();
        assertThat(browser.pixel(1, centre(OLD_CTA)[0], centre(OLD_CTA)[1]).a()).isEqualTo(255);

        browser.async("""
                const done = arguments[arguments.length - 1];
                const [a] = isothermViewer.frames();
                a.scroller.scrollTop = 700;
                requestAnimationFrame(() => requestAnimationFrame(() => done()));""");
        assertThat(browser.number("isothermViewer.frames()[1].scroller.scrollTop")).isEqualTo(700);
    }
}
