package io.isotherm.dashboard;

import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

/** The start page: sites, their pages with page views and clicks per device, and what to do without any. */
class ViewerIndexTest extends ViewerTest {
    static Site shop;
    static Site blog;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        Traffic traffic = server.traffic();
        shop = traffic.site("UTC");
        blog = new SiteDao(server.db().jdbi()).add("Blog", List.of("https://blog.example"), List.of());
        long pricing = traffic.page(shop, "https://shop.example/pricing");
        long home = traffic.page(shop, "https://shop.example/");
        Instant t = TODAY.minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);
        for (int i = 0; i < 1200; i++) traffic.visit(shop, pricing).click(t, 100, 100, "#buy").send();
        traffic.visit(shop, pricing, "mobile", 390, 800, 3000).click(t, 50, 50, "#buy").click(t, 60, 60, "#buy").send();
        traffic.visit(shop, home).move(t, 10, 10).send();
        traffic.aggregate();
        browser = ViewerBrowser.start(profile);
    }

    @Test
    void lists_the_sites_and_the_pages_with_page_views_and_clicks_per_device() {
        browser.open(server.url() + "/");

        browser.waitFor("table.pages tbody tr");
        assertThat(browser.text("h1")).isEqualTo("Shop");
        assertThat(browser.findAll(".site-tab").stream().map(e -> e.getText().lines().findFirst().orElseThrow()).toList())
                .containsExactlyInAnyOrder("Shop", "Blog");
        List<WebElement> rows = browser.findAll("table.pages tbody tr");
        assertThat(rows.stream().map(r -> r.getAttribute("data-page")).toList())
                .containsExactly("https://shop.example/pricing", "https://shop.example/");
        assertThat(rows.get(0).getText()).contains("1,201").contains("1,202");
        WebElement mobile = rows.get(0).findElement(org.openqa.selenium.By.cssSelector("a[data-device=mobile]"));
        assertThat(mobile.getText()).contains("1").contains("Mobile · 2 clicks");

        mobile.click();
        browser.settle();
        assertThat(browser.driver().getCurrentUrl()).contains("/view?").contains("device=mobile");
        assertThat(browser.find("#device-switch input[value=mobile]").isSelected()).isTrue();
        assertThat(browser.text("[data-hint=desktop]")).isEqualTo("1,200 views");
    }

    @Test
    void a_site_without_page_views_shows_its_tag() {
        browser.open(server.url() + "/?site=" + blog.publicKey());

        browser.waitForText(".empty h2", "No page views yet");
        assertThat(browser.text(".snippet pre")).isEqualTo(
                "<script defer src=\"" + server.url() + "/t.js\" data-site=\"" + blog.publicKey() + "\"></script>");
    }

    @Test
    void without_sites_it_explains_how_to_add_one() {
        try (DashboardServer empty = DashboardServer.start()) {
            browser.open(empty.url() + "/");

            browser.waitForText(".empty h2", "Add your first site");
            assertThat(browser.text(".steps")).contains("java -jar launcher/target/isotherm.jar site add");
            assertThat(browser.text(".steps")).contains("data-site=\"KEY\"");
        }
    }

    @Test
    void the_pages_are_served_with_a_strict_content_security_policy_and_revalidated() {
        var index = server.getBytes("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'").contains("img-src 'self' data: blob:").doesNotContain("unsafe");
        assertThat(index.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        var module = server.getBytes("/ui/viewer.js");
        assertThat(module.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        assertThat(module.headers().firstValue("Cache-Control").orElseThrow()).isEqualTo("no-cache");
        assertThat(module.headers().firstValue("ETag")).isPresent();
        assertThat(server.getBytes("/ui/%2e%2e/WebUi.class").statusCode()).isNotEqualTo(200);
        assertThat(server.getBytes("/ui/nothing.js").statusCode()).isEqualTo(404);
    }
}
