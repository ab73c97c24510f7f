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
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The account page in a real browser: password, signed-in browsers, API tokens. */
class AccountsPageTest {
    static final String PASSWORD = "correct horse battery";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path profiles;
    static DashboardServer server;
    static Accounts accounts;
    static Site shop;

    @BeforeAll
    static void start() {
        server = DashboardServer.startWithAccounts(AccessSettings.defaults());
        accounts = new Accounts(server.db().jdbi());
        shop = new SiteDao(server.db().jdbi()).add("Shop", List.of("https://shop.example"), List.of());
        new SiteDao(server.db().jdbi()).add("Blog", List.of("https://blog.example"), List.of());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static AccountsBrowser browser(String name, String userAgent) {
        return AccountsBrowser.start(profiles.resolve(name), userAgent, "UTC");
    }

    @Test
    void changes_the_password_with_each_mistake_named_next_to_its_field() {
        var user = accounts.users().add("pat@example.com", PASSWORD, false);
        try (AccountsBrowser browser = browser("password", AccountsBrowser.CHROME_ON_LINUX)) {
            browser.signIn(server.url(), "pat@example.com", PASSWORD);
            browser.open(server.url() + "/account");

            browser.type("#password-form input[name=current]", "not my password");
            browser.type("#password-form input[name=password]", "a new long password");
            browser.type("#password-form input[name=repeat]", "a new long password");
            browser.click("#password-form button[type=submit]");
            browser.waitForText("#password-form [data-field=current] .field-error", "This is not your current password");

            browser.type("#password-form input[name=current]", PASSWORD);
            browser.type("#password-form input[name=repeat]", "a new long passwort");
            browser.click("#password-form button[type=submit]");
            browser.waitForText("#password-form [data-field=repeat] .field-error", "not the same");
            assertThat(browser.find("#password-form [data-field=current] .field-error").isDisplayed()).isFalse();
            assertThat(accounts.users().authenticate("pat@example.com", PASSWORD)).as("nothing changed yet").isPresent();

            browser.type("#password-form input[name=repeat]", "a new long password");
            browser.click("#password-form button[type=submit]");

            browser.waitForText("#password-form .form-status", "Password changed");
            assertThat(accounts.users().authenticate("pat@example.com", "a new long password")).isPresent();
            assertThat(accounts.users().authenticate("pat@example.com", PASSWORD)).isEmpty();
            // This browser got a new session (and CSRF token) and goes on working: it can still change things.
            browser.type("#token-form input[name=name]", "after the change");
            browser.click("#token-form button[type=submit]");
            browser.waitFor("#new-token input");
            assertThat(accounts.tokens().list(user.id())).extracting(t -> t.name()).containsExactly("after the change");
        }
    }

    @Test
    void lists_the_signed_in_browsers_in_plain_words_and_signs_another_one_out() {
        accounts.users().add("sam@example.com", PASSWORD, false);
        try (AccountsBrowser mine = browser("mine", AccountsBrowser.CHROME_ON_LINUX);
             AccountsBrowser other = browser("other", AccountsBrowser.FIREFOX_ON_WINDOWS)) {
            other.signIn(server.url(), "sam@example.com", PASSWORD);
            other.open(server.url() + "/account");
            other.waitFor("#token-form");
            mine.signIn(server.url(), "sam@example.com", PASSWORD);
            mine.open(server.url() + "/account");

            mine.waitFor("#sessions tbody tr");
            List<WebElement> rows = mine.findAll("#sessions tbody tr");
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0).getText()).contains("Chrome on Linux").contains("This browser");
            assertThat(rows.get(1).getText()).contains("Firefox on Windows").doesNotContain("This browser");

            rows.get(1).findElement(By.cssSelector("button")).click();
            mine.confirm();

            mine.waitForText("#sessions .status-line", "Firefox on Windows is signed out");
            assertThat(mine.findAll("#sessions tbody tr")).hasSize(1);
            assertThat(mine.text("#sessions tbody tr")).contains("This browser");
            // The other browser, still showing the page, learns it is signed out at its next request: to the sign-in page.
            other.type("#token-form input[name=name]", "too late");
            other.click("#token-form button[type=submit]");
            other.waitForPath("/login?next=%2Faccount");
            assertThat(accounts.tokens().list(accounts.users().findByEmail("sam@example.com").orElseThrow().id())).isEmpty();
        }
    }

    @Test
    void creates_a_token_shows_it_once_and_revokes_it() throws Exception {
        var user = accounts.users().add("tia@example.com", PASSWORD, false);
        accounts.members().set(shop.id(), user.id(), Role.VIEWER);
        try (AccountsBrowser browser = browser("tokens", AccountsBrowser.CHROME_ON_LINUX)) {
            browser.signIn(server.url(), "tia@example.com", PASSWORD);
            browser.open(server.url() + "/account");
            browser.waitForText("#tokens", "No API tokens yet");
            assertThat(browser.findAll("#token-form select[name=site] option").stream().map(WebElement::getText).toList())
                    .as("only the user's sites").containsExactly("All sites", "Shop");

            browser.type("#token-form input[name=name]", "weekly report");
            browser.find("#token-form select[name=site] option[value='" + shop.publicKey() + "']").click();
            browser.find("#token-form input[name=scope][value=write]").click();
            browser.click("#token-form button[type=submit]");
            browser.waitForText("#token-form [data-field=scope] .field-error", "can only read");

            browser.find("#token-form input[name=scope][value=read]").click();
            browser.click("#token-form button[type=submit]");

            String token = browser.waitFor("#new-token input").getAttribute("value");
            assertThat(token).startsWith("isot_");
            assertThat(browser.text("#new-token")).contains("shown only this once");
            assertThat(browser.findAll("#new-token .copy")).hasSize(1);
            WebElement row = browser.waitFor("#tokens tbody tr");
            assertThat(row.getText()).contains("weekly report").contains("Shop").contains("Read-only").contains("never");
            assertThat(get("/api/sites", token).statusCode()).isEqualTo(200);

            browser.open(server.url() + "/account");
            browser.waitFor("#tokens tbody tr");
            assertThat(browser.driver().getPageSource()).as("shown once").doesNotContain(token);
            assertThat(browser.text("#tokens tbody tr")).as("used once since").doesNotContain("never");

            browser.click("#tokens tbody tr button");
            browser.confirm();

            browser.waitForText("#tokens tbody tr", "Revoked");
            assertThat(get("/api/sites", token).statusCode()).isEqualTo(401);
        }
    }

    static HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
