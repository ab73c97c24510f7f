package io.isotherm.dashboard;

import io.isotherm.db.site.Site;
import io.isotherm.testing.StoredTraffic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The viewer's segment filter and the comparison of two segments: an A/B test where variant A's visitors click the
 * new call to action and variant B's the old one.
 */
class ViewerSegmentsTest extends ViewerTest {
    static final String PAGE = "https://shop.example/";
    static final Traffic.Box NEW_CTA = new Traffic.Box("#new-cta", 200, 400, 200, 60);
    static final Traffic.Box OLD_CTA = new Traffic.Box("#old-cta", 1000, 400, 200, 60);
    static final StoredTraffic.Visit A = StoredTraffic.Visit.DIRECT.campaign("news", "email", "spring").variant("A");
    static final StoredTraffic.Visit B = A.variant("B").timeZone("Asia/Tokyo");

    static Site site;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        Traffic traffic = server.traffic();
        site = traffic.site("UTC");
        long page = traffic.page(site, PAGE);
        traffic.capture(site, page, "desktop", 1440, 2000, 1000, List.of(NEW_CTA, OLD_CTA));
        Instant t = TODAY.minusDays(2).atTime(12, 0).toInstant(ZoneOffset.UTC);
        // A: 2 page views, 3 clicks on the new call to action. B: 3 page views, 1 click each on the old one.
        traffic.visit(site, page).from(A).click(t, 300, 430, "#new-cta").click(t.plusSeconds(1), 300, 430, "#new-cta").send();
        traffic.visit(site, page).from(A).click(t, 300, 430, "#new-cta").send();
        for (int i = 0; i < 3; i++) traffic.visit(site, page).from(B).click(t, 1100, 430, "#old-cta").send();
        traffic.aggregate();
        browser = ViewerBrowser.start(profile);
    }

    static String view(String query) {
        return server.viewUrl(site, PAGE, "&from=" + TODAY.minusDays(6) + "&to=" + TODAY + "&zoom=100" + query);
    }

    static int[] centre(Traffic.Box box) {
        return new int[]{box.x() + box.width() / 2, box.y() + box.height() / 2};
    }

    @Test
    void choosing_a_variant_shows_only_its_visitors_clicks_and_says_so() {
        browser.open(view(""));
        assertThat(browser.text(".frame-head")).contains("5 page views · 6 clicks");

        browser.waitFor("select[name='seg-variant'] option[value='B']");
        assertThat(browser.text("select[name='seg-variant']")).contains("A (2)").contains("B (3)");
        browser.choose("seg-variant", "B");
        browser.waitForText(".frame-head", "3 page views · 3 clicks");
        browser.settle();
        assertThat(browser.text(".frame-head")).contains("Variant B");
        assertThat(browser.js("return location.search").toString()).contains("variant=B");
        assertThat(browser.pixel(0, centre(OLD_CTA)[0], centre(OLD_CTA)[1]).a()).isEqualTo(255);
        assertThat(browser.pixel(0, centre(NEW_CTA)[0], centre(NEW_CTA)[1]).transparent()).isTrue();
        // The elements panel counts the same visitors.
        assertThat(browser.text("#elements-summary")).contains("3");

        // A link with the filter opens the same view.
        browser.open(view("&variant=A&country=FR"));
        browser.waitForText(".frame-head", "2 page views · 3 clicks");
        assertThat(browser.pixel(0, centre(NEW_CTA)[0], centre(NEW_CTA)[1]).a()).isEqualTo(255);
        assertThat(browser.pixel(0, centre(OLD_CTA)[0], centre(OLD_CTA)[1]).transparent()).isTrue();
    }

    @Test
    void variant_a_against_variant_b_as_a_difference_map() {
        browser.open(view("&variant=A&cmp=segment&cseg=variant:B&cmode=diff"));
        browser.waitForText(".frame-head", "A: ");
        browser.settle();

        assertThat(browser.findAll(".frame")).hasSize(1);
        assertThat(browser.text(".frame-head")).contains("Variant A").contains("Variant B")
                .contains("A: 2 page views · 3 clicks").contains("B: 3 page views · 3 clicks");
        // A clicked the new call to action (red), B the old one (blue).
        ViewerBrowser.Pixel more = browser.pixel(0, centre(NEW_CTA)[0], centre(NEW_CTA)[1]);
        ViewerBrowser.Pixel fewer = browser.pixel(0, centre(OLD_CTA)[0], centre(OLD_CTA)[1]);
        assertThat(more.r() - more.b()).as("red: %s", more).isGreaterThan(100);
        assertThat(fewer.b() - fewer.r()).as("blue: %s", fewer).isGreaterThan(30);

        // Side by side: A's frame and B's.
        browser.open(view("&variant=A&cmp=segment&cseg=variant:B"));
        browser.waitForText(".frame-wrap:nth-child(2) .frame-head", "B · Desktop");
        browser.settle();
        assertThat(browser.text(".frame-wrap:nth-child(1) .frame-head")).contains("Variant A").contains("2 page views");
        assertThat(browser.text(".frame-wrap:nth-child(2) .frame-head")).contains("Variant B").contains("3 page views");
        assertThat(browser.pixel(1, centre(OLD_CTA)[0], centre(OLD_CTA)[1]).a()).isEqualTo(255);
        assertThat(browser.pixel(1, centre(NEW_CTA)[0], centre(NEW_CTA)[1]).transparent()).isTrue();
    }
}
