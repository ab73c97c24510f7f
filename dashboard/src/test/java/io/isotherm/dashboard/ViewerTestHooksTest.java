package io.isotherm.dashboard;

import io.isotherm.db.site.Site;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The viewer's test hooks are no part of what a person's browser runs: without the test flag nothing loads them. */
class ViewerTestHooksTest {
    static final String PAGE = "https://shop.example/";

    @TempDir
    static Path profile;
    static DashboardServer server;
    static AccountsBrowser browser; // no test flag, unlike ViewerBrowser
    static Site site;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        Traffic traffic = server.traffic();
        site = traffic.site("UTC");
        traffic.page(site, PAGE);
        browser = AccountsBrowser.start(profile);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    @Test
    void without_the_flag_the_viewer_draws_but_exposes_nothing_and_loads_no_test_module() {
        browser.open(server.viewUrl(site, PAGE, ""));

        browser.waitForText(".frame-head strong", "Desktop");
        assertThat(browser.js("return typeof window.isothermViewer")).isEqualTo("undefined");
        assertThat(browser.js("return performance.getEntriesByType('resource').map((e) => e.name)"))
                .asList().isNotEmpty().noneMatch(name -> name.toString().endsWith("/test-hooks.js"));
    }
}
