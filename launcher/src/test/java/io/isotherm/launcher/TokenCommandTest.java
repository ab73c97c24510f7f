package io.isotherm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.accounts.Accounts;
import io.isotherm.accounts.ApiTokens;
import io.isotherm.accounts.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCommandTest {
    private static final String PASSWORD = "correct horse battery";

    @Test
    void creates_lists_and_revokes_a_token(@TempDir Path dataDir) throws Exception {
        try (var db = HeldDatabase.open(dataDir)) {
            addUser(dataDir, "ana@example.com", true);
            var created = Cli.run(dataDir, "token", "create", "--email", "ana@example.com", "--name", "weekly report");
            assertThat(created.exitCode()).as(created.err()).isZero();
            String secret = created.out();
            assertThat(secret).startsWith("isot_").matches("isot_[A-Za-z0-9_-]{43}");
            var tokens = new ApiTokens(db.jdbi());
            assertThat(tokens.authenticate(secret)).as("the printed secret is the token's").isPresent();

            var listed = Cli.run(dataDir, "token", "list", "--json");
            assertThat(listed.exitCode()).isZero();
            assertThat(listed.out()).doesNotContain(secret.substring(5));
            JsonNode token = listed.json().get(0);
            long id = token.get("id").asLong();
            assertThat(token.get("email").asText()).isEqualTo("ana@example.com");
            assertThat(token.get("name").asText()).isEqualTo("weekly report");
            assertThat(token.get("site").isNull()).isTrue();
            assertThat(token.get("scope").asText()).as("the default scope").isEqualTo("read");
            assertThat(token.get("createdAt").asText()).isNotEmpty();
            assertThat(token.get("lastUsedAt").isNull()).isFalse(); // authenticate above used it
            assertThat(token.get("revokedAt").isNull()).isTrue();
            assertThat(Cli.run(dataDir, "token", "list").out())
                    .startsWith(id + "\tana@example.com\tweekly report\tall sites\tread\tcreated ")
                    .endsWith("\tlive")
                    .doesNotContain(secret.substring(5));

            var revoked = Cli.run(dataDir, "token", "revoke", String.valueOf(id));
            assertThat(revoked.exitCode()).as(revoked.err()).isZero();
            assertThat(revoked.out()).isEqualTo("revoked token " + id);
            assertThat(tokens.authenticate(secret)).isEmpty();
            assertThat(Cli.run(dataDir, "token", "list", "--json").json().get(0).get("revokedAt").isNull()).isFalse();
            assertThat(Cli.run(dataDir, "token", "list").out()).contains("\trevoked ");

            var again = Cli.run(dataDir, "token", "revoke", String.valueOf(id));
            assertThat(again.exitCode()).isEqualTo(1);
            assertThat(again.err()).isEqualTo("error: no live token has the id " + id);
        }
    }

    @Test
    void prints_the_token_as_json_for_one_site(@TempDir Path dataDir) throws Exception {
        try (var ignored = HeldDatabase.open(dataDir)) {
            addUser(dataDir, "ana@example.com", true);
            String site = addSite(dataDir).get("key").asText();
            var created = Cli.run(dataDir, "token", "create", "--email", "ana@example.com", "--name", "deploy",
                    "--site", site, "--scope", "write", "--json");
            assertThat(created.exitCode()).as(created.err()).isZero();
            JsonNode json = created.json();
            assertThat(json.get("id").asLong()).isPositive();
            assertThat(json.get("token").asText()).startsWith("isot_");
            assertThat(json.get("name").asText()).isEqualTo("deploy");
            assertThat(json.get("site").asText()).isEqualTo(site);
            assertThat(json.get("scope").asText()).isEqualTo("write");
            assertThat(Cli.run(dataDir, "token", "list").out()).contains("\tdeploy\t" + site + "\twrite\t");
        }
    }

    @Test
    void refuses_a_site_the_user_does_not_belong_to(@TempDir Path dataDir) throws Exception {
        try (var ignored = HeldDatabase.open(dataDir)) {
            addUser(dataDir, "bo@example.com", false);
            String site = addSite(dataDir).get("key").asText();
            var refused = Cli.run(dataDir, "token", "create", "--email", "bo@example.com", "--name", "x", "--site", site);
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).isEqualTo("error: bo@example.com is neither an administrator nor a member of the site " + site);
            assertThat(refused.out()).isEmpty();

            var unknownSite = Cli.run(dataDir, "token", "create", "--email", "bo@example.com", "--name", "x", "--site", "nosuchkey");
            assertThat(unknownSite.exitCode()).isEqualTo(1);
            assertThat(unknownSite.err()).isEqualTo("error: no site has the key nosuchkey");

            var unknownUser = Cli.run(dataDir, "token", "create", "--email", "nobody@example.com", "--name", "x");
            assertThat(unknownUser.exitCode()).isEqualTo(1);
            assertThat(unknownUser.err()).isEqualTo("error: no user has the email nobody@example.com");

            assertThat(Cli.run(dataDir, "token", "list", "--json").json()).isEmpty();
        }
    }

    @Test
    void gives_a_viewer_read_tokens_only(@TempDir Path dataDir) throws Exception {
        try (var db = HeldDatabase.open(dataDir)) {
            long bo = addUser(dataDir, "bo@example.com", false);
            JsonNode site = addSite(dataDir);
            String key = site.get("key").asText();
            var members = new Accounts(db.jdbi()).members();
            members.set(site.get("id").asInt(), bo, Role.VIEWER);

            var write = Cli.run(dataDir, "token", "create", "--email", "bo@example.com", "--name", "x", "--site", key, "--scope", "write");
            assertThat(write.exitCode()).isEqualTo(1);
            assertThat(write.err()).contains("is a viewer of the site " + key).contains("--scope read");
            assertThat(Cli.run(dataDir, "token", "list", "--json").json()).isEmpty();

            var read = Cli.run(dataDir, "token", "create", "--email", "bo@example.com", "--name", "x", "--site", key);
            assertThat(read.exitCode()).as(read.err()).isZero();

            members.set(site.get("id").asInt(), bo, Role.OWNER);
            var owner = Cli.run(dataDir, "token", "create", "--email", "bo@example.com", "--name", "y", "--site", key, "--scope", "write");
            assertThat(owner.exitCode()).as(owner.err()).isZero();
            assertThat(Cli.run(dataDir, "token", "list", "--email", "bo@example.com", "--json").json()).hasSize(2);
        }
    }

    @Test
    void lists_one_users_tokens(@TempDir Path dataDir) throws Exception {
        try (var ignored = HeldDatabase.open(dataDir)) {
            addUser(dataDir, "ana@example.com", true);
            addUser(dataDir, "bo@example.com", false);
            Cli.run(dataDir, "token", "create", "--email", "ana@example.com", "--name", "a");
            Cli.run(dataDir, "token", "create", "--email", "bo@example.com", "--name", "b");
            assertThat(Cli.run(dataDir, "token", "list", "--json").json()).hasSize(2);
            JsonNode bos = Cli.run(dataDir, "token", "list", "--email", "bo@example.com", "--json").json();
            assertThat(bos).hasSize(1);
            assertThat(bos.get(0).get("name").asText()).isEqualTo("b");
            assertThat(Cli.run(dataDir, "token", "list", "--email", "nobody@example.com").exitCode()).isEqualTo(1);
        }
    }

    @Test
    void refuses_an_unknown_scope_as_a_usage_error(@TempDir Path dataDir) {
        var bad = Cli.run(dataDir, "token", "create", "--email", "ana@example.com", "--name", "x", "--scope", "admin");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--scope");
    }

    private static long addUser(Path dataDir, String email, boolean admin) throws Exception {
        var added = admin
                ? Cli.runWithInput(dataDir, PASSWORD, "user", "add", "--email", email, "--admin", "--json")
                : Cli.runWithInput(dataDir, PASSWORD, "user", "add", "--email", email, "--json");
        assertThat(added.exitCode()).as(added.err()).isZero();
        return added.json().get("id").asLong();
    }

    private static JsonNode addSite(Path dataDir) throws Exception {
        var added = Cli.run(dataDir, "site", "add", "--name", "Shop", "--origin", "https://shop.example", "--json");
        assertThat(added.exitCode()).as(added.err()).isZero();
        return added.json();
    }
}
