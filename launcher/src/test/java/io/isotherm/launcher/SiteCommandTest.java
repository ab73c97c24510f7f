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

    @Test
    void edits_each_setting_and_only_the_ones_given(@TempDir Path dataDir) throws Exception {
        try (var ignored = HeldDatabase.open(dataDir)) {
            String key = Cli.run(dataDir, "site", "add", "--name", "Shop", "--origin", "https://shop.example", "--json").json().get("key").asText();
            JsonNode fresh = Cli.run(dataDir, "site", "list", "--json").json().get(0);
            assertThat(fresh.get("timeZone").asText()).isEqualTo("UTC");
            assertThat(fresh.get("excludedPaths")).isEmpty();
            assertThat(fresh.get("mobileBelow").isNull()).isTrue();
            assertThat(fresh.get("tabletBelow").isNull()).isTrue();
            assertThat(fresh.get("retentionDays").isNull()).isTrue();

            var edited = Cli.run(dataDir, "site", "edit", key, "--name", "Shop EU", "--origin", "https://eu.shop.example",
                    "--origin", "https://*.shop.example", "--keep-query", "id", "--keep-query", "page", "--time-zone", "Europe/Berlin",
                    "--exclude-path", "/admin/*", "--exclude-path", "/cart", "--mobile-below", "500", "--tablet-below", "900",
                    "--retention-days", "30");
            assertThat(edited.exitCode()).as(edited.err()).isZero();
            assertThat(edited.out()).startsWith("updated " + key + ": name Shop EU; origins https://eu.shop.example https://*.shop.example;");
            JsonNode site = Cli.run(dataDir, "site", "list", "--json").json().get(0);
            assertThat(site.get("name").asText()).isEqualTo("Shop EU");
            assertThat(site.get("origins").toString()).isEqualTo("[\"https://eu.shop.example\",\"https://*.shop.example\"]");
            assertThat(site.get("keepQuery").toString()).isEqualTo("[\"id\",\"page\"]");
            assertThat(site.get("timeZone").asText()).isEqualTo("Europe/Berlin");
            assertThat(site.get("excludedPaths").toString()).isEqualTo("[\"/admin/*\",\"/cart\"]");
            assertThat(site.get("mobileBelow").asInt()).isEqualTo(500);
            assertThat(site.get("tabletBelow").asInt()).isEqualTo(900);
            assertThat(site.get("retentionDays").asInt()).isEqualTo(30);

            var one = Cli.run(dataDir, "site", "edit", key, "--retention-days", "90", "--json");
            assertThat(one.exitCode()).as(one.err()).isZero();
            assertThat(one.json().get("changed").toString()).isEqualTo("[\"retentionDays\"]");
            assertThat(one.json().get("retentionDays").asInt()).isEqualTo(90);
            assertThat(one.json().get("name").asText()).isEqualTo("Shop EU");
            assertThat(one.json().get("keepQuery")).hasSize(2);
            assertThat(one.json().get("timeZone").asText()).isEqualTo("Europe/Berlin");
            assertThat(one.json().has("notice")).isFalse();

            var reset = Cli.run(dataDir, "site", "edit", key, "--clear-keep-query", "--clear-excluded-paths",
                    "--mobile-below", "default", "--tablet-below", "default", "--retention-days", "default");
            assertThat(reset.exitCode()).as(reset.err()).isZero();
            assertThat(reset.out()).isEqualTo("updated " + key + ": keepQuery none; excludedPaths none; mobileBelow default; "
                    + "tabletBelow default; retentionDays default");
            JsonNode cleared = Cli.run(dataDir, "site", "list", "--json").json().get(0);
            assertThat(cleared.get("keepQuery")).isEmpty();
            assertThat(cleared.get("excludedPaths")).isEmpty();
            assertThat(cleared.get("mobileBelow").isNull()).isTrue();
            assertThat(cleared.get("tabletBelow").isNull()).isTrue();
            assertThat(cleared.get("retentionDays").isNull()).isTrue();
            assertThat(cleared.get("origins")).hasSize(2);
        }
    }

    @Test
    void reports_a_bad_time_zone_and_stores_nothing(@TempDir Path dataDir) throws Exception {
        try (var ignored = HeldDatabase.open(dataDir)) {
            String key = Cli.run(dataDir, "site", "add", "--name", "Shop", "--origin", "https://shop.example").out();
            var refused = Cli.run(dataDir, "site", "edit", key, "--name", "Renamed", "--time-zone", "Mars/Olympus_Mons");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).isEqualTo("error: --time-zone: timeZone must be a time zone like Europe/Berlin, got 'Mars/Olympus_Mons'");
            assertThat(refused.out()).isEmpty();
            JsonNode site = Cli.run(dataDir, "site", "list", "--json").json().get(0);
            assertThat(site.get("name").asText()).isEqualTo("Shop");
            assertThat(site.get("timeZone").asText()).isEqualTo("UTC");
        }
    }

    @Test
    void names_the_option_of_any_bad_value_and_stores_nothing(@TempDir Path dataDir) throws Exception {
        try (var ignored = HeldDatabase.open(dataDir)) {
            String key = Cli.run(dataDir, "site", "add", "--name", "Shop", "--origin", "https://shop.example").out();
            var path = Cli.run(dataDir, "site", "edit", key, "--exclude-path", "admin");
            assertThat(path.exitCode()).isEqualTo(1);
            assertThat(path.err()).startsWith("error: --exclude-path: ");
            var range = Cli.run(dataDir, "site", "edit", key, "--retention-days", "1");
            assertThat(range.exitCode()).isEqualTo(1);
            assertThat(range.err()).isEqualTo("error: --retention-days: retentionDays must be from 3 to 3650, or default for the platform's setting");
            var order = Cli.run(dataDir, "site", "edit", key, "--mobile-below", "900", "--tablet-below", "600");
            assertThat(order.exitCode()).isEqualTo(1);
            assertThat(order.err()).startsWith("error: --tablet-below: ");
            var origin = Cli.run(dataDir, "site", "edit", key, "--origin", "shop.example/path");
            assertThat(origin.exitCode()).isEqualTo(1);
            assertThat(origin.err()).startsWith("error: --origin: not an origin");

            JsonNode site = Cli.run(dataDir, "site", "list", "--json").json().get(0);
            assertThat(site.get("excludedPaths")).isEmpty();
            assertThat(site.get("retentionDays").isNull()).isTrue();
            assertThat(site.get("mobileBelow").isNull()).isTrue();
            assertThat(site.get("origins").toString()).isEqualTo("[\"https://shop.example\"]");

            var unknown = Cli.run(dataDir, "site", "edit", "nosuchkey", "--name", "X");
            assertThat(unknown.exitCode()).isEqualTo(1);
            assertThat(unknown.err()).isEqualTo("error: no site has the key nosuchkey");
        }
    }

    @Test
    void refuses_edits_that_say_nothing_or_contradict_themselves(@TempDir Path dataDir) {
        var nothing = Cli.run(dataDir, "site", "edit", "anykey");
        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.err()).contains("nothing to change");
        var both = Cli.run(dataDir, "site", "edit", "anykey", "--keep-query", "id", "--clear-keep-query");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--keep-query and --clear-keep-query exclude each other");
        var notANumber = Cli.run(dataDir, "site", "edit", "anykey", "--mobile-below", "wide");
        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.err()).contains("--mobile-below").contains("expected a whole number or default, got 'wide'");
    }

    @Test
    void says_when_a_new_time_zone_applies(@TempDir Path dataDir) throws Exception {
        try (var ignored = HeldDatabase.open(dataDir)) {
            String key = Cli.run(dataDir, "site", "add", "--name", "Shop", "--origin", "https://shop.example").out();
            var changed = Cli.run(dataDir, "site", "edit", key, "--time-zone", "America/New_York");
            assertThat(changed.exitCode()).as(changed.err()).isZero();
            assertThat(changed.out()).isEqualTo("updated " + key + ": timeZone America/New_York\n"
                    + "the new time zone applies to events aggregated from now on; days already aggregated keep their time zone");

            var same = Cli.run(dataDir, "site", "edit", key, "--time-zone", "America/New_York");
            assertThat(same.out()).isEqualTo("nothing changed for " + key);

            var json = Cli.run(dataDir, "site", "edit", key, "--time-zone", "Asia/Tokyo", "--json").json();
            assertThat(json.get("notice").asText()).startsWith("the new time zone applies to events aggregated from now on");
            assertThat(json.get("timeZone").asText()).isEqualTo("Asia/Tokyo");
        }
    }
}
