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

/** The Users page (/admin) in a real browser: users with their sites, administrator rights, removal, invitations. */
class AccountsAdminTest {
    static final String PASSWORD = "correct horse battery";

    @TempDir
    static Path profiles;
    static DashboardServer server;
    static Accounts accounts;

    @BeforeAll
    static void start() {
        server = DashboardServer.startWithAccounts(AccessSettings.defaults());
        accounts = new Accounts(server.db().jdbi());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void an_administrator_manages_users_and_invites_another_administrator() {
        accounts.users().add("root@example.com", PASSWORD, true);
        var ida = accounts.users().add("ida@example.com", PASSWORD, false);
        var leo = accounts.users().add("leo@example.com", PASSWORD, false);
        Site shop = new SiteDao(server.db().jdbi()).add("Shop", List.of("https://shop.example"), List.of());
        accounts.members().set(shop.id(), ida.id(), Role.OWNER);
        try (AccountsBrowser browser = AccountsBrowser.start(profiles.resolve("admin"))) {
            browser.signIn(server.url(), "root@example.com", PASSWORD);
            browser.click("#mainnav a[data-nav=users]");
            browser.waitForPathToBe("/admin");
            String root = "#users tr[data-email='root@example.com']";
            String idaRow = "#users tr[data-email='ida@example.com']";
            browser.waitFor(idaRow);
            assertThat(browser.text(idaRow)).contains("Shop · owner").contains("No");
            assertThat(browser.findAll(root + " [data-action=remove]")).as("not oneself").isEmpty();

            browser.click(root + " [data-action=admin]");
            browser.waitForText("#users .status-line", "last administrator");
            assertThat(accounts.users().findByEmail("root@example.com").orElseThrow().admin()).isTrue();

            browser.click(idaRow + " [data-action=admin]");
            browser.waitForText("#users .status-line", "ida@example.com is now an administrator");
            browser.waitForText(idaRow, "Administrator");
            assertThat(accounts.users().find(ida.id()).orElseThrow().admin()).isTrue();

            browser.click("#users tr[data-email='leo@example.com'] [data-action=remove]");
            browser.waitForText("dialog[open]", "Remove leo@example.com?");
            browser.confirm();
            browser.waitForText("#users .status-line", "leo@example.com is removed");
            browser.until("leo's row is gone", AccountsBrowser.WAIT, () -> browser.findAll("#users tr[data-email='leo@example.com']").isEmpty());
            assertThat(accounts.users().find(leo.id())).isEmpty();

            browser.type("#admin-invite-form input[name=email]", "boss@example.com");
            browser.click("#admin-invite-form button[type=submit]");
            String link = browser.waitFor("#invite-result input").getAttribute("value");
            assertThat(link).startsWith(server.url() + "/invite?token=");
            browser.waitForText("#pending tbody tr", "boss@example.com");

            browser.click("#pending tbody tr button");
            browser.waitForText("#pending", "No pending invitations");
            assertThat(accounts.invites().pending(null)).isEmpty();
        }
    }

    @Test
    void someone_who_is_not_an_administrator_has_no_users_page() {
        accounts.users().add("una@example.com", PASSWORD, false);
        try (AccountsBrowser browser = AccountsBrowser.start(profiles.resolve("user"))) {
            browser.signIn(server.url(), "una@example.com", PASSWORD);
            browser.waitFor("#mainnav a[data-nav=account]");
            assertThat(browser.findAll("#mainnav a[data-nav=users]")).isEmpty();

            browser.open(server.url() + "/admin");

            // The page explains itself instead of a bare refusal; the user list and the invitation form stay away
            // (their API answers 403 to anyone but an administrator: the authorization matrix checks that).
            browser.waitFor("#not-admin");
            assertThat(browser.driver().getPageSource()).contains("Only administrators manage users");
            assertThat(browser.findAll("#users-title, #admin-invite-form")).isEmpty();
        }
    }
}
