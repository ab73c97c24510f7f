package io.isotherm.dashboard;

import io.isotherm.db.site.Site;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The header, the device switch and the elements panel of one view show the same page views and clicks right after
 * {@code aggregate --once}, while the stored 30-day views are stale, and also when some of the view's pieces were
 * read (and cached) before the aggregation and others after it. The stored views are made by the database's clock,
 * so the viewer is opened on the last 30 days of the real UTC day.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ViewerOneTruthTest extends ViewerTest {
    private static final String PAGE = "https://shop.example/pricing";
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final Instant T = TODAY.minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);

    private static Traffic traffic;
    private static Site site;
    private static long page;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        traffic = new Traffic(server.db(), TODAY);
        site = traffic.site("UTC");
        page = traffic.page(site, PAGE);
        // Counted and stored in views: desktop 2 page views, 3 clicks; mobile 1 page view, 1 click.
        traffic.visit(site, page).click(T, 700, 1010, "#buy").click(T.plusSeconds(1), 700, 1010, "#buy").send();
        traffic.visit(site, page).click(T, 700, 1010, "#buy").send();
        traffic.visit(site, page, "mobile", 390, 800, 3000).click(T, 100, 500, "#buy").send();
        traffic.aggregate();
        // Counted too soon after the views were stored for them to follow: desktop +2 page views, +2 clicks.
        traffic.visit(site, page).click(T.plusSeconds(60), 700, 1010, "#buy").click(T.plusSeconds(61), 300, 2000, null).send();
        traffic.visit(site, page).scroll(T.plusSeconds(60), 2000, null).send();
        traffic.aggregate();
        browser = ViewerBrowser.start(profile);
    }

    @Test
    @Order(1)
    void right_after_an_aggregation_the_header_device_switch_and_elements_panel_agree() {
        browser.open(viewUrl("desktop"));

        assertThat(browser.text(".frame-head .stat")).isEqualTo("4 page views · 5 clicks");
        assertThat(browser.text("[data-hint=desktop]")).isEqualTo("4 views");
        assertThat(summary("pageviews")).isEqualTo(4);
        assertThat(summary("clicks")).isEqualTo(5);
        assertThat(browser.text("#elements-summary")).startsWith("4 page views · 5 clicks");
        assertThat(browser.find("#view-updating").isDisplayed()).isFalse();
    }

    @Test
    @Order(2)
    void pieces_read_before_an_aggregation_are_read_again_with_the_rest() {
        browser.open(viewUrl("desktop"));
        assertThat(browser.text("[data-hint=mobile]")).isEqualTo("1 views");
        // The pages (and so the device switch's counts) of this range are cached now; the mobile view is not.
        traffic.visit(site, page, "mobile", 390, 800, 3000).click(T.plusSeconds(120), 100, 500, "#buy").send();
        traffic.visit(site, page, "mobile", 390, 800, 3000).click(T.plusSeconds(121), 100, 500, "#buy").send();
        traffic.aggregate();

        browser.find("#device-switch input[value=mobile]").findElement(org.openqa.selenium.By.xpath("..")).click();
        browser.settle();

        assertThat(browser.text(".frame-head strong")).isEqualTo("Mobile");
        assertThat(browser.text(".frame-head .stat")).isEqualTo("3 page views · 3 clicks");
        assertThat(browser.text("[data-hint=mobile]")).isEqualTo("3 views");
        assertThat(summary("pageviews")).isEqualTo(3);
        assertThat(summary("clicks")).isEqualTo(3);
    }

    private static String viewUrl(String device) {
        return server.viewUrl(site, PAGE, "&device=" + device + "&from=" + TODAY.minusDays(29) + "&to=" + TODAY);
    }

    private static long summary(String field) {
        return Long.parseLong(browser.find("#elements-summary").getAttribute("data-" + field));
    }
}
