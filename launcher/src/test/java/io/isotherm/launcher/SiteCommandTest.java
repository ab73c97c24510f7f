package io.isotherm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SiteCommandTest {

    @Test
    void adds_lists_and_removes_sites_without_a_running_server(@TempDir Path dataDir) throws Exception {
        var added = Cli.run(dataDir, "site", "add", "--name", "Shop", "--origin", "https://shop.example",
                "--origin", "https://www.shop.example", "--json");
        assertThat(added.exitCode()).as(added.err()).isZero();
        JsonNode json = added.json();
        String key = json.get("key").asText();
        assertThat(key).matches("[a-z2-9]{16}");
        assertThat(json.get("id").asInt()).isPositive();

        var listed = Cli.run(dataDir, "site", "list", "--json");
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.json()).hasSize(1);
        assertThat(listed.json().get(0).get("key").asText()).isEqualTo(key);
        assertThat(listed.json().get(0).get("origins").toString()).contains("https://shop.example", "https://www.shop.example");

        var plain = Cli.run(dataDir, "site", "list");
        assertThat(plain.out()).contains(key).contains("Shop");

        var removed = Cli.run(dataDir, "site", "remove", key);
        assertThat(removed.exitCode()).isZero();
        assertThat(Cli.run(dataDir, "site", "list", "--json").json()).isEmpty();
        assertThat(Cli.run(dataDir, "site", "remove", key).exitCode()).isEqualTo(1);
    }

    @Test
    void prints_only_the_key_without_json(@TempDir Path dataDir) {
        var added = Cli.run(dataDir, "site", "add", "--name", "Blog", "--origin", "https://blog.example");
        assertThat(added.exitCode()).isZero();
        assertThat(added.out()).matches("[a-z2-9]{16}");
    }

    @Test
    void explains_a_bad_origin_and_stores_nothing(@TempDir Path dataDir) throws Exception {
        var added = Cli.run(dataDir, "site", "add", "--name", "Bad", "--origin", "shop.example/path");
        assertThat(added.exitCode()).isNotZero();
        assertThat(added.err()).contains("not an origin");
        assertThat(Cli.run(dataDir, "site", "list", "--json").json()).isEmpty();
    }

    @Test
    void requires_a_name_and_an_origin(@TempDir Path dataDir) {
        var added = Cli.run(dataDir, "site", "add", "--name", "NoOrigin");
        assertThat(added.exitCode()).isEqualTo(2);
        assertThat(added.err()).contains("--origin");
    }
}
