package io.isotherm.launcher;

import io.isotherm.accounts.Accounts;
import io.isotherm.accounts.Role;
import io.isotherm.accounts.Users;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class UserCommandTest {
    private static final String PASSWORD = "correct horse battery";

    @Test
    void adds_lists_and_removes_users_without_a_running_server(@TempDir Path dataDir) throws Exception {
        var ana = Cli.runWithInput(dataDir, PASSWORD + "\n", "user", "add", "--email", "Ana@Example.com", "--admin", "--json");
        assertThat(ana.exitCode()).as(ana.err()).isZero();
        assertThat(ana.json().get("id").asLong()).isPositive();
        assertThat(ana.json().get("email").asText()).isEqualTo("ana@example.com");
        assertThat(ana.json().get("admin").asBoolean()).isTrue();

        var bo = Cli.runWithInput(dataDir, PASSWORD + "\n", "user", "add", "--email", "bo@example.com");
        assertThat(bo.exitCode()).as(bo.err()).isZero();
        assertThat(bo.out()).contains("bo@example.com").doesNotContain("administrator");

        var listed = Cli.run(dataDir, "user", "list", "--json");
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.json()).hasSize(2);
        assertThat(listed.json().get(0).get("email").asText()).isEqualTo("ana@example.com");
        assertThat(listed.json().get(0).get("admin").asBoolean()).isTrue();
        assertThat(listed.json().get(1).get("admin").asBoolean()).isFalse();
        assertThat(listed.json().get(1).get("sites")).isEmpty();
        assertThat(Cli.run(dataDir, "user", "list").out())
                .contains("ana@example.com\tadmin")
                .contains("bo@example.com\tuser\tno sites");

        var removed = Cli.run(dataDir, "user", "remove", "bo@example.com");
        assertThat(removed.exitCode()).as(removed.err()).isZero();
        assertThat(Cli.run(dataDir, "user", "list", "--json").json()).hasSize(1);

        var again = Cli.run(dataDir, "user", "remove", "bo@example.com");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("error: no user has the email bo@example.com");
    }

    @Test
    void takes_the_first_line_of_standard_input_as_the_password(@TempDir Path dataDir) {
        var added = Cli.runWithInput(dataDir, PASSWORD + "\r\nnot this line\n", "user", "add", "--email", "ana@example.com");
        assertThat(added.exitCode()).as(added.err()).isZero();
        try (var db = HeldDatabase.open(dataDir)) {
            var users = new Users(db.jdbi());
            assertThat(users.authenticate("ana@example.com", PASSWORD)).isPresent();
            assertThat(users.authenticate("ana@example.com", PASSWORD + "\r")).isEmpty();
        }
    }

    @Test
    void refuses_a_short_or_missing_password_and_stores_nothing(@TempDir Path dataDir) throws Exception {
        var shortOne = Cli.runWithInput(dataDir, "short\n", "user", "add", "--email", "ana@example.com");
        assertThat(shortOne.exitCode()).isEqualTo(1);
        assertThat(shortOne.err()).isEqualTo("error: password must have at least 10 characters");
        assertThat(shortOne.out()).isEmpty();

        var none = Cli.runWithInput(dataDir, "", "user", "add", "--email", "ana@example.com");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).startsWith("error: password is required");

        assertThat(Cli.run(dataDir, "user", "list", "--json").json()).isEmpty();
    }

    @Test
    void refuses_an_email_in_use_or_not_an_email(@TempDir Path dataDir) throws Exception {
        try (var ignored = HeldDatabase.open(dataDir)) {
            assertThat(Cli.runWithInput(dataDir, PASSWORD, "user", "add", "--email", "ana@example.com").exitCode()).isZero();
            var taken = Cli.runWithInput(dataDir, PASSWORD, "user", "add", "--email", "ANA@example.com");
            assertThat(taken.exitCode()).isEqualTo(1);
            assertThat(taken.err()).isEqualTo("error: a user with this email exists already");

            var notAnEmail = Cli.runWithInput(dataDir, PASSWORD, "user", "add", "--email", "ana");
            assertThat(notAnEmail.exitCode()).isEqualTo(1);
            assertThat(notAnEmail.err()).contains("email address");
            assertThat(Cli.run(dataDir, "user", "list", "--json").json()).hasSize(1);
        }
    }

    @Test
    void changes_a_password_and_ends_the_users_sessions(@TempDir Path dataDir) throws Exception {
        try (var db = HeldDatabase.open(dataDir)) {
            long ana = Cli.runWithInput(dataDir, PASSWORD, "user", "add", "--email", "ana@example.com", "--json").json().get("id").asLong();
            long bo = Cli.runWithInput(dataDir, PASSWORD, "user", "add", "--email", "bo@example.com", "--json").json().get("id").asLong();
            var accounts = new Accounts(db.jdbi());
            accounts.sessions().open(ana, "test");
            accounts.sessions().open(ana, "test");
            accounts.sessions().open(bo, "test");

            var changed = Cli.runWithInput(dataDir, "a new password of ana\n", "user", "password", "ana@example.com");
            assertThat(changed.exitCode()).as(changed.err()).isZero();
            assertThat(changed.out()).isEqualTo("password changed; 2 sessions ended");

            assertThat(accounts.sessions().list(ana)).isEmpty();
            assertThat(accounts.sessions().list(bo)).as("another user's sessions").hasSize(1);
            assertThat(accounts.users().authenticate("ana@example.com", "a new password of ana")).isPresent();
            assertThat(accounts.users().authenticate("ana@example.com", PASSWORD)).isEmpty();

            var json = Cli.runWithInput(dataDir, "yet another password\n", "user", "password", "ana@example.com", "--json");
            assertThat(json.json().get("sessionsEnded").asInt()).isZero();
        }
    }

    @Test
    void refuses_a_short_new_password_and_keeps_the_old_one(@TempDir Path dataDir) {
        try (var db = HeldDatabase.open(dataDir)) {
            Cli.runWithInput(dataDir, PASSWORD, "user", "add", "--email", "ana@example.com");
            var refused = Cli.runWithInput(dataDir, "short\n", "user", "password", "ana@example.com");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).isEqualTo("error: password must have at least 10 characters");
            assertThat(new Users(db.jdbi()).authenticate("ana@example.com", PASSWORD)).isPresent();

            var nobody = Cli.runWithInput(dataDir, PASSWORD, "user", "password", "nobody@example.com");
            assertThat(nobody.exitCode()).isEqualTo(1);
            assertThat(nobody.err()).isEqualTo("error: no user has the email nobody@example.com");
        }
    }

    @Test
    void keeps_the_last_administrator(@TempDir Path dataDir) throws Exception {
        try (var ignored = HeldDatabase.open(dataDir)) {
            Cli.runWithInput(dataDir, PASSWORD, "user", "add", "--email", "ana@example.com", "--admin");
            var refused = Cli.run(dataDir, "user", "remove", "ana@example.com");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).startsWith("error: this is the last administrator");
            assertThat(Cli.run(dataDir, "user", "list", "--json").json()).hasSize(1);

            Cli.runWithInput(dataDir, PASSWORD, "user", "add", "--email", "bo@example.com", "--admin");
            assertThat(Cli.run(dataDir, "user", "remove", "ana@example.com").exitCode()).isZero();
            assertThat(Cli.run(dataDir, "user", "list", "--json").json().get(0).get("email").asText()).isEqualTo("bo@example.com");
        }
    }

    @Test
    void lists_each_users_sites_with_their_roles(@TempDir Path dataDir) throws Exception {
        try (var db = HeldDatabase.open(dataDir)) {
            var site = Cli.run(dataDir, "site", "add", "--name", "Shop", "--origin", "https://shop.example", "--json").json();
            long bo = Cli.runWithInput(dataDir, PASSWORD, "user", "add", "--email", "bo@example.com", "--json").json().get("id").asLong();
            new Accounts(db.jdbi()).members().set(site.get("id").asInt(), bo, Role.VIEWER);

            var listed = Cli.run(dataDir, "user", "list", "--json").json().get(0);
            assertThat(listed.get("sites")).hasSize(1);
            assertThat(listed.get("sites").get(0).get("key").asText()).isEqualTo(site.get("key").asText());
            assertThat(listed.get("sites").get(0).get("role").asText()).isEqualTo("viewer");
            assertThat(Cli.run(dataDir, "user", "list").out())
                    .isEqualTo("bo@example.com\tuser\tShop (" + site.get("key").asText() + ") viewer");
        }
    }
}
