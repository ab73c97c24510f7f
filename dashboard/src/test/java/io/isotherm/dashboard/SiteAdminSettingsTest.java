package io.isotherm.dashboard;

import io.isotherm.accounts.Accounts;
import io.isotherm.accounts.Role;
import io.isotherm.dashboard.access.AccessSettings;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Adding a site from /new-site, its Settings tab (owners edit, viewers read) and deleting it, in a real browser. */
class SiteAdminSettingsTest {
    static final String PASSWORD = "correct horse battery";
    /** The browser's own time zone: not UTC, so a preselected UTC would not pass for it. */
    static final String ZONE = "America/Sao_Paulo";

    @TempDir
    static Path profiles;
    static DashboardServer server;
    static Accounts accounts;
    static SiteDao sites;

    @BeforeAll
    static void start() {
        server = DashboardServer.startWithAccounts(AccessSettings.defaults());
        accounts = new Accounts(server.db().jdbi());
        sites = new SiteDao(server.db().jdbi());
        accounts.users().add("admin@example.com", PASSWORD, true);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static AccountsBrowser browser(String name) {
        return AccountsBrowser.start(profiles.resolve(name), AccountsBrowser.CHROME_ON_LINUX, ZONE);
    }

    @Test
    void an_administrator_adds_a_site_with_this_browsers_time_zone_preselected() {
        try (AccountsBrowser browser = browser("new-site")) {
            browser.signIn(server.url(), "admin@example.com", PASSWORD);
            browser.open(server.url() + "/new-site");

            browser.waitFor("#site-form");
            assertThat(browser.find("#site-form select[name=timeZone]").getAttribute("value")).isEqualTo(ZONE);
            assertThat(browser.text("#site-form [data-field=origins] .hint")).contains("https://*.shop.example");

            browser.type("#site-form input[name=name]", "Garden");
            browser.type("#site-form textarea[name=origins]", "https://garden.example\nhttps://*.garden.example");
            browser.click("#site-form button[type=submit]");

            browser.waitForPath("/site?site=");
            Site garden = sites.list().stream().filter(s -> s.name().equals("Garden")).findFirst().orElseThrow();
            assertThat(browser.path()).isEqualTo("/site?site=" + garden.publicKey() + "&tab=install");
            assertThat(garden.timeZone()).isEqualTo(ZONE);
            assertThat(garden.origins()).containsExactly("https://garden.example", "https://*.garden.example");
            browser.waitForText("#install-code pre", "data-site=\"" + garden.publicKey() + "\"");
            assertThat(browser.find("#tab-install").getAttribute("aria-selected")).isEqualTo("true");
        }
    }

    @Test
    void someone_who_is_not_an_administrator_is_told_why_they_cannot_add_a_site() {
        accounts.users().add("nadia@example.com", PASSWORD, false);
        try (AccountsBrowser browser = browser("not-admin")) {
            browser.signIn(server.url(), "nadia@example.com", PASSWORD);
            browser.waitForText(".empty h2", "You have no sites yet");
            assertThat(browser.findAll("#new-site, #add-first-site")).isEmpty();

            browser.open(server.url() + "/new-site");

            browser.waitForText("#not-admin", "Only administrators add sites");
            assertThat(browser.findAll("#site-form")).isEmpty();
        }
    }

    @Test
    void a_bad_origin_is_named_next_to_the_origins_and_nothing_is_saved_then_a_good_change_is() {
        Site shop = sites.add("Shop", List.of("https://shop.example"), List.of());
        try (AccountsBrowser browser = browser("settings")) {
            browser.signIn(server.url(), "admin@example.com", PASSWORD);
            browser.open(server.url() + "/site?site=" + shop.publicKey() + "&tab=settings");
            browser.waitFor("#settings-form");
            assertThat(browser.find("#settings-form select[name=timeZone]").getAttribute("value")).as("the site's, not the browser's")
                    .isEqualTo("UTC");
            assertThat(browser.find("#settings-form input[name=mobileBelow]").getAttribute("placeholder")).as("the platform's default")
                    .isEqualTo("768 (default)");

            browser.type("#settings-form input[name=name]", "Shop & more");
            browser.type("#settings-form textarea[name=origins]", "https://shop.example\nshop.example/path");
            browser.click("#settings-form button[type=submit]");

            String error = browser.waitFor("#settings-form [data-field=origins] .field-error").getText();
            assertThat(error).isNotBlank();
            assertThat(browser.find("#settings-form textarea[name=origins]").getAttribute("aria-invalid")).isEqualTo("true");
            assertThat(browser.findAll("#settings-form [data-field=name] .field-error").get(0).isDisplayed()).isFalse();
            Site unchanged = sites.findById(shop.id()).orElseThrow();
            assertThat(unchanged.name()).isEqualTo("Shop");
            assertThat(unchanged.origins()).containsExactly("https://shop.example");

            browser.type("#settings-form textarea[name=origins]", "https://shop.example\nhttps://staging.shop.example");
            browser.type("#settings-form textarea[name=excludedPaths]", "/admin/*");
            browser.type("#settings-form input[name=mobileBelow]", "600");
            browser.find("#settings-form select[name=timeZone] option[value='Europe/Berlin']").click();
            browser.click("#settings-form button[type=submit]");

            browser.waitForText("#settings-form .form-status", "Saved");
            assertThat(browser.text("#settings-notice")).contains("Europe/Berlin");
            assertThat(browser.findAll("#settings-form .field-error").stream().noneMatch(e -> e.isDisplayed())).isTrue();
            Site saved = sites.findById(shop.id()).orElseThrow();
            assertThat(saved.name()).isEqualTo("Shop & more");
            assertThat(saved.origins()).containsExactly("https://shop.example", "https://staging.shop.example");
            assertThat(saved.excludedPaths()).containsExactly("/admin/*");
            assertThat(saved.mobileBelow()).isEqualTo(600);
            assertThat(saved.tabletBelow()).as("left empty: the platform's").isNull();
            assertThat(saved.timeZone()).isEqualTo("Europe/Berlin");
            assertThat(browser.text(".page-head h1")).isEqualTo("Shop & more");
        }
    }

    @Test
    void a_viewer_reads_the_settings_without_a_way_to_change_them() {
        Site blog = sites.add("Blog", List.of("https://blog.example"), List.of());
        var vic = accounts.users().add("vic@example.com", PASSWORD, false);
        accounts.members().set(blog.id(), vic.id(), Role.VIEWER);
        try (AccountsBrowser browser = browser("viewer")) {
            browser.signIn(server.url(), "vic@example.com", PASSWORD);
            browser.open(server.url() + "/site?site=" + blog.publicKey() + "&tab=settings");

            browser.waitForText("#read-only-note", "only its owners can change them");
            assertThat(browser.find("#settings-form textarea[name=origins]").getAttribute("value")).isEqualTo("https://blog.example");
            assertThat(browser.find("#settings-form textarea[name=origins]").isEnabled()).isFalse();
            assertThat(browser.findAll("#settings-form button[type=submit], #danger")).isEmpty();
            assertThat(browser.text("#panel-settings")).doesNotContain("null");
        }
    }

    @Test
    void deleting_a_site_takes_its_name_typed_out() {
        Site old = sites.add("Old shop", List.of("https://old.example"), List.of());
        try (AccountsBrowser browser = browser("delete")) {
            browser.signIn(server.url(), "admin@example.com", PASSWORD);
            browser.open(server.url() + "/site?site=" + old.publicKey() + "&tab=settings");

            browser.type("#delete-form input[name=confirm]", "Old");
            browser.click("#delete-site");
            browser.waitForText("#delete-form [data-field=confirm] .field-error", "Old shop");
            assertThat(sites.findById(old.id())).isPresent();

            browser.type("#delete-form input[name=confirm]", "Old shop");
            browser.click("#delete-site");

            browser.waitForPathToBe("/");
            assertThat(sites.findById(old.id())).isEmpty();
        }
    }
}
