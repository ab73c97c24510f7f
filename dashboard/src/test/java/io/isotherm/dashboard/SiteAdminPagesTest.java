package io.isotherm.dashboard;

import io.isotherm.db.site.Site;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

/** The Pages tab over 300 pages, in a real browser: 50 at a time, search as you type, sortable columns. */
class SiteAdminPagesTest {
    @TempDir
    static Path profile;
    static DashboardServer server;
    static AccountsBrowser browser;
    static Site shop;

    @BeforeAll
    static void start() {
        server = DashboardServer.start(); // the local mode: this machine, no sign-in
        Traffic traffic = server.traffic();
        shop = traffic.site("UTC");
        long[] ids = new long[301];
        for (int i = 1; i <= 300; i++) ids[i] = traffic.page(shop, url(i));
        Instant t = TODAY.minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);
        for (int i = 0; i < 3; i++) traffic.visit(shop, ids[7]).click(t, 10, 10, "#buy").send();
        for (int i = 0; i < 2; i++) traffic.visit(shop, ids[123]).move(t, 10, 10).send();
        traffic.visit(shop, ids[250]).move(t, 10, 10).send();
        traffic.aggregate();
        long capture = traffic.capture(shop, ids[7], "desktop", 1440, 100, 100, List.of());
        server.db().jdbi().useHandle(h -> h.execute("UPDATE capture SET title = ? WHERE capture_id = ?", "Pricing plans", capture));
        browser = AccountsBrowser.start(profile);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    @BeforeEach
    void open() {
        browser.open(server.url() + "/site?site=" + shop.publicKey() + "&tab=pages");
        browser.waitForText("#pages-position", "of 300");
    }

    static String url(int i) {
        return "https://shop.example/p%03d".formatted(i);
    }

    List<String> rows() {
        return browser.findAll("#pages-table tbody tr").stream().map(r -> r.getAttribute("data-page")).toList();
    }

    String sortOf(String column) {
        return browser.find("#pages-table th:has(button[data-sort=" + column + "])").getAttribute("aria-sort");
    }

    @Test
    void lists_50_pages_by_page_views_with_the_title_over_the_path_each_opening_the_viewer() {
        assertThat(browser.text("#pages-position")).isEqualTo("1–50 of 300");
        assertThat(rows()).hasSize(50);
        assertThat(rows().subList(0, 4)).containsExactly(url(7), url(123), url(250), url(1));
        assertThat(sortOf("pageviews")).isEqualTo("descending");
        assertThat(sortOf("clicks")).isNull();
        WebElement first = browser.find("#pages-table tbody tr");
        assertThat(browser.text("#pages-table tbody tr .page-title")).isEqualTo("Pricing plans");
        assertThat(browser.text("#pages-table tbody tr .page-path")).isEqualTo("/p007");
        assertThat(first.getText()).contains("3");
        assertThat(browser.findAll("#pages-table tbody tr .page-title").get(3).getText()).as("no title: the path").isEqualTo("/p001");
        assertThat(browser.find("#pages-table tbody tr a").getAttribute("href"))
                .isEqualTo(server.url() + "/view?site=" + shop.publicKey() + "&page=" + URLEncoder.encode(url(7), StandardCharsets.UTF_8));
        assertThat(browser.find("#pages-prev").isEnabled()).isFalse();
    }

    @Test
    void pages_forward_and_back_to_the_last_page() {
        browser.click("#pages-next");
        browser.waitForText("#pages-position", "51–100 of 300");
        assertThat(browser.find("#pages-prev").isEnabled()).isTrue();
        for (int i = 0; i < 4; i++) browser.click("#pages-next");
        browser.waitForText("#pages-position", "251–300 of 300");
        assertThat(browser.find("#pages-next").isEnabled()).isFalse();
        assertThat(browser.path()).contains("offset=250");

        browser.click("#pages-prev");

        browser.waitForText("#pages-position", "201–250 of 300");
    }

    @Test
    void searches_as_you_type_and_sorts_by_a_column_both_ways() {
        browser.type("#page-search", "P12");

        browser.waitForText("#pages-position", "1–10 of 10");
        assertThat(rows()).first().isEqualTo(url(123));
        assertThat(rows()).hasSize(10).allMatch(u -> u.startsWith("https://shop.example/p12"));

        browser.click("button[data-sort=url]");
        browser.until("sorted by address, A to Z", AccountsBrowser.WAIT, () -> "ascending".equals(sortOf("url")));
        browser.until("p120 first", AccountsBrowser.WAIT, () -> rows().get(0).equals(url(120)));
        assertThat(rows()).containsExactly(url(120), url(121), url(122), url(123), url(124), url(125), url(126), url(127),
                url(128), url(129));
        assertThat(sortOf("pageviews")).isNull();

        browser.click("button[data-sort=url]");
        browser.until("sorted by address, Z to A", AccountsBrowser.WAIT, () -> "descending".equals(sortOf("url")));
        browser.until("p129 first", AccountsBrowser.WAIT, () -> rows().get(0).equals(url(129)));
        assertThat(browser.path()).contains("q=P12").contains("sort=url");

        browser.type("#page-search", "nothing like this");
        browser.waitForText("#pages-empty", "No page's address or title contains \"nothing like this\"");
        assertThat(rows()).isEmpty();
    }

    @Test
    void the_tabs_follow_the_arrow_keys_and_keep_the_chosen_one_in_the_address() {
        browser.find("#tab-pages").sendKeys(org.openqa.selenium.Keys.ARROW_RIGHT);

        browser.waitFor("#panel-settings #settings-form");
        assertThat(browser.find("#tab-settings").getAttribute("aria-selected")).isEqualTo("true");
        assertThat(browser.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("tab-settings");
        assertThat(browser.find("#tab-pages").getAttribute("tabindex")).isEqualTo("-1");
        assertThat(browser.find("#panel-pages").isDisplayed()).isFalse();
        assertThat(browser.path()).isEqualTo("/site?site=" + shop.publicKey() + "&tab=settings");

        browser.find("#tab-settings").sendKeys(org.openqa.selenium.Keys.END);
        browser.waitFor("#panel-team #members");
        browser.find("#tab-team").sendKeys(org.openqa.selenium.Keys.ARROW_RIGHT);
        browser.waitFor("#panel-install #install-code pre");
        assertThat(browser.path()).endsWith("&tab=install");
    }

    @Test
    void the_search_and_sort_survive_a_reload() {
        browser.open(server.url() + "/site?site=" + shop.publicKey() + "&tab=pages&q=p25&sort=clicks&order=asc");

        browser.waitForText("#pages-position", "1–10 of 10");
        assertThat(browser.find("#page-search").getAttribute("value")).isEqualTo("p25");
        assertThat(sortOf("clicks")).isEqualTo("ascending");
    }
}
