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
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Team tab and invitation links, in real browsers: the inviter's, and a fresh one for the colleague. */
class SiteAdminTeamTest {
    static final String PASSWORD = "correct horse battery";

    @TempDir
    static Path profiles;
    static DashboardServer server;
    static Accounts accounts;
    static Site shop;
    static Site blog;

    @BeforeAll
    static void start() {
        server = DashboardServer.startWithAccounts(AccessSettings.defaults());
        accounts = new Accounts(server.db().jdbi());
        SiteDao sites = new SiteDao(server.db().jdbi());
        shop = sites.add("Shop", List.of("https://shop.example"), List.of());
        blog = sites.add("Blog", List.of("https://blog.example"), List.of());
        var owner = accounts.users().add("olga@example.com", PASSWORD, false);
        accounts.members().set(shop.id(), owner.id(), Role.OWNER);
        accounts.members().set(blog.id(), owner.id(), Role.OWNER);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void an_invited_viewer_chooses_a_password_in_a_fresh_browser_and_sees_only_that_site() {
        String link;
        try (AccountsBrowser owner = AccountsBrowser.start(profiles.resolve("owner"))) {
            owner.signIn(server.url(), "olga@example.com", PASSWORD);
            owner.open(server.url() + "/site?site=" + shop.publicKey() + "&tab=team");
            owner.waitFor("#members tr[data-email='olga@example.com']");
            assertThat(owner.text("#members tr[data-email='olga@example.com']")).contains("You");

            owner.type("#member-invite-form input[name=email]", "vera@example.com");
            assertThat(owner.find("#member-invite-form input[name=role][value=viewer]").isSelected()).as("the default").isTrue();
            owner.click("#member-invite-form button[type=submit]");

            link = owner.waitFor("#member-invite-result input").getAttribute("value");
            assertThat(link).startsWith(server.url() + "/invite?token=");
            assertThat(owner.text("#member-invite-result")).contains("valid for 7 days").contains("send it to them yourself");
            assertThat(owner.findAll("#member-invite-result .copy")).hasSize(1);
            assertThat(owner.waitForText("#member-invites tbody tr", "vera@example.com").getText()).contains("Viewer");
        }

        try (AccountsBrowser vera = AccountsBrowser.start(profiles.resolve("vera"), AccountsBrowser.FIREFOX_ON_WINDOWS, "UTC")) {
            vera.open(link);
            vera.waitForText("#invite-what", "Shop");
            assertThat(vera.text("#invite-what")).contains("as a viewer");
            assertThat(vera.text("#invite-email")).isEqualTo("vera@example.com");
            assertThat(vera.text("#card")).doesNotContain("null");

            vera.type("#invite-form input[name=password]", "short");
            vera.type("#invite-form input[name=repeat]", "short");
            vera.click("#invite-form button[type=submit]");
            vera.waitForText("#invite-form [data-field=password] .field-error", "at least 10 characters");

            vera.type("#invite-form input[name=password]", "vera's own password");
            vera.type("#invite-form input[name=repeat]", "vera's own password");
            vera.click("#invite-form button[type=submit]");

            vera.waitForPathToBe("/");
            vera.waitForText("h1", "Shop");
            assertThat(vera.findAll(".site-tab")).as("no other site to choose").isEmpty();
            assertThat(vera.driver().getPageSource()).doesNotContain("Blog");
            assertThat(vera.findAll("#mainnav a").stream().map(WebElement::getText).toList()).containsExactly("Sites", "Account");
            assertThat(vera.findAll("#new-site")).isEmpty();
            assertThat(vera.findAll(".site-links a").stream().map(WebElement::getText).toList())
                    .containsExactly("Install", "Pages", "Settings", "Team", "Countries", "Engagement");

            vera.open(link);
            vera.waitForText("h1", "This invitation cannot be used");
            assertThat(vera.text("#card")).contains("Ask the person who sent it for a new one").doesNotContain("null");
        }
        var vera = accounts.users().findByEmail("vera@example.com").orElseThrow();
        assertThat(accounts.members().roleOf(vera.id(), shop.id())).contains(Role.VIEWER);
        assertThat(accounts.members().roleOf(vera.id(), blog.id())).isEmpty();
    }

    @Test
    void someone_with_an_account_confirms_with_their_password_and_then_sees_both_sites() {
        var ken = accounts.users().add("ken@example.com", PASSWORD, false);
        accounts.members().set(blog.id(), ken.id(), Role.VIEWER);
        String link = server.url() + "/invite?token=" + accounts.invites().create(shop.id(), Role.OWNER, false, "ken@example.com", null).secret();
        try (AccountsBrowser browser = AccountsBrowser.start(profiles.resolve("ken"))) {
            browser.open(link);
            browser.waitForText("#invite-what", "Shop as an owner");
            assertThat(browser.findAll("#invite-form input[name=repeat]")).as("no new password to repeat").isEmpty();

            browser.type("#invite-form input[name=password]", "not my password");
            browser.click("#invite-form button[type=submit]");
            browser.waitFor("#invite-form [data-field=password] .field-error");
            assertThat(browser.path()).startsWith("/invite?token=");

            browser.type("#invite-form input[name=password]", PASSWORD);
            browser.click("#invite-form button[type=submit]");

            browser.waitForPathToBe("/");
            browser.waitFor(".site-tab");
            assertThat(browser.findAll(".site-tab").stream().map(e -> e.getText().lines().findFirst().orElseThrow()).toList())
                    .containsExactlyInAnyOrder("Shop", "Blog");
        }
        assertThat(accounts.members().roleOf(ken.id(), shop.id())).contains(Role.OWNER);
    }

    @Test
    void an_owner_changes_a_role_and_removes_a_member() {
        var max = accounts.users().add("max@example.com", PASSWORD, false);
        accounts.members().set(blog.id(), max.id(), Role.VIEWER);
        try (AccountsBrowser owner = AccountsBrowser.start(profiles.resolve("roles"))) {
            owner.signIn(server.url(), "olga@example.com", PASSWORD);
            owner.open(server.url() + "/site?site=" + blog.publicKey() + "&tab=team");
            String row = "#members tr[data-email='max@example.com']";
            owner.waitFor(row);

            owner.find(row + " select[name=role] option[value=owner]").click();

            owner.waitForText("#members .status-line", "max@example.com is now an owner");
            assertThat(accounts.members().roleOf(max.id(), blog.id())).contains(Role.OWNER);

            owner.click(row + " button");
            owner.confirm();

            owner.waitForText("#members .status-line", "max@example.com is removed");
            owner.until("the row is gone", AccountsBrowser.WAIT, () -> owner.findAll(row).isEmpty());
            assertThat(accounts.members().roleOf(max.id(), blog.id())).isEmpty();
        }
    }
}
