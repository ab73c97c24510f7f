package io.isotherm.dashboard;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Without accounts (the local mode): everyone here is an administrator, and nothing asks to sign in or out. */
class AccountsLocalModeTest {
    @TempDir
    static Path profile;
    static DashboardServer server;
    static AccountsBrowser browser;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        browser = AccountsBrowser.start(profile);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    @Test
    void the_account_page_says_there_are_no_accounts_and_nothing_offers_to_sign_out() {
        browser.open(server.url() + "/account");

        browser.waitForText("#no-accounts", "local mode");
        assertThat(browser.text("#no-accounts")).contains("ISOTHERM_DASHBOARD_ACCESS=accounts");
        assertThat(browser.findAll("#password-form, #sessions, #tokens, #sign-out")).isEmpty();
        assertThat(browser.findAll("#mainnav a").stream().map(WebElement::getText).toList())
                .as("an administrator here").containsExactly("Sites", "Account", "Users");
    }

    @Test
    void the_start_page_offers_to_add_the_first_site_here() {
        browser.open(server.url() + "/");

        browser.waitForText(".empty h2", "Add your first site");
        browser.click("#add-first-site");

        browser.waitForPathToBe("/new-site");
        browser.waitFor("#site-form");
        assertThat(browser.findAll("#sign-out")).isEmpty();
    }
}
