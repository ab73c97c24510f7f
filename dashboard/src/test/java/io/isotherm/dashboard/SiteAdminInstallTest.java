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
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Install tab in a real browser: the tag to copy, and the live installation check with "Allow this origin". */
class SiteAdminInstallTest {
    static final String PASSWORD = "correct horse battery";
    /** The check refreshes every 5 s: a change in the database shows within two refreshes. */
    static final Duration REFRESH = Duration.ofSeconds(15);

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
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static Site siteWith(String name, String email, Role role) {
        Site site = sites.add(name, List.of("https://" + name.toLowerCase() + ".example"), List.of());
        var user = accounts.users().add(email, PASSWORD, false);
        accounts.members().set(site.id(), user.id(), role);
        return site;
    }

    static String tag(Site site) {
        return "<script defer src=\"" + server.url() + "/t.js\" data-site=\"" + site.publicKey() + "\"></script>";
    }

    @Test
    void shows_the_tag_with_a_copy_button_and_says_the_address_was_guessed() {
        Site shop = siteWith("Shop", "owner@example.com", Role.OWNER);
        try (AccountsBrowser browser = AccountsBrowser.start(profiles.resolve("copy"))) {
            browser.signIn(server.url(), "owner@example.com", PASSWORD);
            browser.driver().executeCdpCommand("Browser.grantPermissions", Map.of("origin", server.url(),
                    "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
            browser.open(server.url() + "/site?site=" + shop.publicKey());

            browser.waitFor("#install-code pre");
            assertThat(browser.text("#install-code pre")).isEqualTo(tag(shop));
            assertThat(browser.text("#public-url-note")).contains("guessed").contains("ISOTHERM_PUBLIC_URL");

            browser.click("#install-code .copy");

            browser.waitForText("#install-code .copy", "Copied");
            Object copied = browser.async("navigator.clipboard.readText().then(arguments[0], (e) => arguments[0]('failed: ' + e))");
            assertThat(copied).isEqualTo(tag(shop));
        }
    }

    @Test
    void the_check_shows_a_stored_batch_and_an_owner_allows_a_refused_origin() {
        Site garden = siteWith("Garden", "gardener@example.com", Role.OWNER);
        try (AccountsBrowser browser = AccountsBrowser.start(profiles.resolve("check"))) {
            browser.signIn(server.url(), "gardener@example.com", PASSWORD);
            browser.open(server.url() + "/site?site=" + garden.publicKey() + "&tab=install");
            browser.waitForText("#last-batch", "No batch received yet");
            assertThat(browser.text("#install-check tr[data-outcome=stored]")).endsWith("0 0");

            server.db().jdbi().useHandle(h -> {
                h.execute("INSERT INTO ingest_last_batch (site_id, received_at, page_url, device) VALUES (?, now() - interval '12 seconds', ?, ?)",
                        garden.id(), "https://garden.example/pricing", "desktop");
                h.execute("""
                        INSERT INTO ingest_outcome (site_id, minute, outcome, detail, batches) VALUES
                          (?, date_trunc('minute', now()), 'stored', '', 3),
                          (?, date_trunc('minute', now()) - interval '3 hours', 'stored', '', 4),
                          (?, date_trunc('minute', now()), 'origin_not_allowed', 'https://staging.garden.example', 2)""",
                        garden.id(), garden.id(), garden.id());
            });

            String line = browser.waitForText("#last-batch", "Last batch received", REFRESH).getText();
            assertThat(line).matches("Last batch received \\d+ s ago from https://garden\\.example/pricing \\(desktop\\)");
            assertThat(browser.text("#install-check tr[data-outcome=stored]")).endsWith("3 7");
            assertThat(browser.text("#install-check tr[data-outcome=origin_not_allowed]"))
                    .startsWith("Refused: origin not allowed").endsWith("2 2");
            assertThat(browser.text("#refused-origins li")).contains("https://staging.garden.example");

            browser.click("#refused-origins button[data-origin='https://staging.garden.example']");

            browser.waitForText("#refused-origins li", "Allowed now");
            assertThat(sites.findById(garden.id()).orElseThrow().origins())
                    .containsExactly("https://garden.example", "https://staging.garden.example");
            assertThat(browser.text(".page-head p")).contains("https://staging.garden.example");
        }
    }

    @Test
    void a_viewer_sees_the_refused_origins_without_the_button() {
        Site blog = siteWith("Blog", "reader@example.com", Role.VIEWER);
        server.db().jdbi().useHandle(h -> h.execute("""
                INSERT INTO ingest_outcome (site_id, minute, outcome, detail, batches)
                VALUES (?, date_trunc('minute', now()), 'origin_not_allowed', 'https://old.blog.example', 1)""", blog.id()));
        try (AccountsBrowser browser = AccountsBrowser.start(profiles.resolve("viewer"))) {
            browser.signIn(server.url(), "reader@example.com", PASSWORD);
            browser.open(server.url() + "/site?site=" + blog.publicKey() + "&tab=install");

            browser.waitForText("#refused-origins li", "https://old.blog.example");
            assertThat(browser.text("#refused-origins li")).contains("An owner of the site can allow it");
            assertThat(browser.findAll("#refused-origins button")).isEmpty();
        }
    }
}
