package io.isotherm.dashboard;

import io.isotherm.accounts.Accounts;
import io.isotherm.dashboard.access.AccessSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The sign-in page in a real browser: wrong and right passwords, where it goes afterwards, throttling, signing out, setup. */
class AccountsSignInTest {
    static final String PASSWORD = "correct horse battery";

    @TempDir
    static Path profile;
    static DashboardServer server;
    static Accounts accounts;
    static AccountsBrowser browser;

    @BeforeAll
    static void start() {
        server = DashboardServer.startWithAccounts(AccessSettings.defaults().withLoginAttempts(3, 50));
        accounts = new Accounts(server.db().jdbi());
        accounts.users().add("admin@example.com", PASSWORD, true);
        browser = AccountsBrowser.start(profile);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    @BeforeEach
    void signedOut() {
        browser.open(server.url() + "/ui/icon.svg");
        browser.driver().manage().deleteAllCookies();
    }

    @Test
    void a_wrong_password_shows_the_error_and_stays_then_the_right_one_opens_the_page_asked_for() {
        accounts.users().add("ana@example.com", PASSWORD, false);
        browser.open(server.url() + "/account");
        browser.waitForPath("/login?next=");

        browser.type("input[name=email]", "ana@example.com");
        browser.type("input[name=password]", "not the password");
        browser.click("#login-form button[type=submit]");

        browser.waitForText(".form-error", "Wrong email or password");
        assertThat(browser.path()).startsWith("/login?next=");
        assertThat(browser.find("input[name=email]").getAttribute("value")).isEqualTo("ana@example.com");

        browser.type("input[name=password]", PASSWORD);
        browser.click("#login-form button[type=submit]");

        browser.waitForPath("/account");
        browser.waitForText("h1", "Account");
        assertThat(browser.text(".page-head p")).contains("Signed in as ana@example.com");
        assertThat(browser.findAll("#mainnav a").stream().map(a -> a.getText()).toList())
                .as("not an administrator: no Users link").containsExactly("Sites", "Account");
    }

    @Test
    void an_empty_field_is_named_without_asking_the_server() {
        browser.open(server.url() + "/login");
        browser.type("input[name=email]", "ana@example.com");
        browser.click("#login-form button[type=submit]");

        browser.waitForText("[data-field=password] .field-error", "Enter your password");
        assertThat(browser.find("input[name=password]").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.path()).isEqualTo("/login");
    }

    @Test
    void next_never_leads_to_another_site() {
        accounts.users().add("ben@example.com", PASSWORD, false);
        for (String next : new String[]{"//evil.example/x", "https://evil.example/", "/\\evil.example"}) {
            browser.driver().manage().deleteAllCookies();
            browser.open(server.url() + "/login?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8));
            browser.type("input[name=email]", "ben@example.com");
            browser.type("input[name=password]", PASSWORD);
            browser.click("#login-form button[type=submit]");

            browser.waitForPathToBe("/");
            browser.waitFor("#mainnav a");
            assertThat(browser.driver().getCurrentUrl()).as(next).startsWith(server.url() + "/");
            assertThat(browser.path()).as(next).isEqualTo("/");
        }
    }

    @Test
    void too_many_attempts_say_how_long_to_wait() {
        accounts.users().add("cy@example.com", PASSWORD, false);
        browser.open(server.url() + "/login");
        browser.type("input[name=email]", "cy@example.com");
        for (int i = 0; i < 3; i++) {
            browser.type("input[name=password]", "wrong " + i);
            browser.click("#login-form button[type=submit]");
            browser.waitForText(".form-error", "Wrong email or password");
            browser.js("document.querySelector('.form-error').textContent = ''");
        }
        browser.type("input[name=password]", PASSWORD);
        browser.click("#login-form button[type=submit]");

        String message = browser.waitForText(".form-error", "Too many sign-in attempts").getText();
        assertThat(message).matches("(?s).*Try again in \\d+ seconds?\\..*");
        assertThat(browser.path()).isEqualTo("/login");
    }

    @Test
    void sign_out_ends_the_session() {
        accounts.users().add("dee@example.com", PASSWORD, true);
        browser.signIn(server.url(), "dee@example.com", PASSWORD);
        browser.waitFor("#mainnav a[data-nav=users]");
        assertThat(browser.text(".who")).isEqualTo("dee@example.com");

        browser.click("#sign-out");

        browser.waitForPathToBe("/login");
        browser.open(server.url() + "/account");
        browser.waitForPath("/login?next=%2Faccount");
    }

    @Test
    void without_any_user_sign_in_leads_to_setup_and_setup_to_adding_a_site() {
        try (DashboardServer fresh = DashboardServer.startWithAccounts(AccessSettings.defaults())) {
            browser.open(fresh.url() + "/login?token=abc");
            browser.waitForPath("/setup?token=abc");
            browser.waitForText("h1", "Create the first administrator");

            browser.type("input[name=email]", "root@example.com");
            browser.type("input[name=password]", PASSWORD);
            browser.type("input[name=repeat]", PASSWORD + "!");
            browser.click("#setup-form button[type=submit]");
            browser.waitForText("[data-field=repeat] .field-error", "not the same");
            assertThat(new Accounts(fresh.db().jdbi()).users().any()).isFalse();

            browser.type("input[name=repeat]", PASSWORD);
            browser.click("#setup-form button[type=submit]");

            browser.waitForPath("/new-site");
            browser.waitForText("h1", "New site");
            assertThat(new Accounts(fresh.db().jdbi()).users().findByEmail("root@example.com").orElseThrow().admin()).isTrue();
            browser.open(fresh.url() + "/setup");
            browser.waitForText("h1", "Isotherm is set up");
        }
    }
}
