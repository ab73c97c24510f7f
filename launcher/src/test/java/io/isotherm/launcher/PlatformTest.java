package io.isotherm.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.isotherm.db.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** In the local access mode: these tests read the viewer without signing in (the accounts mode has its own tests). */
    private static Settings settings(Path dataDir, String roles) {
        return Settings.fromEnvironment(Map.of(
                "ISOTHERM_DATA_DIR", dataDir.toString(),
                "ISOTHERM_PORT", "0",
                "ISOTHERM_BIND_ADDRESS", "127.0.0.1",
                "ISOTHERM_ROLES", roles,
                "ISOTHERM_DASHBOARD_ACCESS", "local"));
    }

    @Test
    void serves_health_metrics_and_collect_and_keeps_data_across_a_restart(@TempDir Path dataDir) throws Exception {
        String key;
        try (var platform = Platform.start(settings(dataDir, "all"))) {
            var health = Http.get(platform.port(), "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            var body = JSON.readTree(health.body());
            assertThat(body.get("status").asText()).isEqualTo("up");
            assertThat(body.get("database").asText()).isEqualTo("up");
            assertThat(body.get("roles").get("collector").asText()).isEqualTo("running");
            assertThat(body.get("roles").get("aggregator").asText()).matches("starting|ok: last pass .*");
            assertThat(body.get("roles").get("dashboard").asText()).isEqualTo("running");

            // The command line works next to the running server: it uses the server's database.
            var added = Cli.run(dataDir, "site", "add", "--name", "Shop", "--origin", "https://shop.example", "--json");
            assertThat(added.exitCode()).as(added.err()).isZero();
            key = added.json().get("key").asText();

            assertThat(Http.collectOneClick(platform.port(), key).statusCode()).isEqualTo(202);
            // Aggregating from the command line next to the running server (whose schedule waits 60 s).
            var aggregated = Cli.run(dataDir, "aggregate", "--once", "--json");
            assertThat(aggregated.exitCode()).as(aggregated.err()).isZero();
            assertThat(aggregated.json().get("batches").asInt()).isEqualTo(1);
            assertThat(aggregated.json().get("events").asInt()).isEqualTo(1);
            assertThat(Http.get(platform.port(), "/metrics").body())
                    .contains("isotherm_collect_events_accepted_total 1.0")
                    .contains("hikaricp_connections");
            var viewer = Http.get(platform.port(), "/");
            assertThat(viewer.statusCode()).isEqualTo(200);
            assertThat(viewer.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(viewer.body()).contains("<title>").contains("Isotherm");
        }
        try (var platform = Platform.start(settings(dataDir, "all"))) {
            var listed = Cli.run(dataDir, "site", "list", "--json");
            assertThat(listed.json().get(0).get("key").asText()).isEqualTo(key);
            assertThat(Http.collectOneClick(platform.port(), key).statusCode()).isEqualTo(202);
            assertThat(countEvents(dataDir)).isEqualTo(2);
        }
    }

    @Test
    void health_says_when_the_dashboard_cannot_capture_screenshots(@TempDir Path dataDir) throws Exception {
        Settings settings = Settings.fromEnvironment(Map.of(
                "ISOTHERM_DATA_DIR", dataDir.toString(), "ISOTHERM_PORT", "0", "ISOTHERM_BIND_ADDRESS", "127.0.0.1",
                "ISOTHERM_ROLES", "dashboard", "ISOTHERM_CHROMIUM", dataDir.resolve("no-chromium").toString()));
        try (var platform = Platform.start(settings)) {
            var health = JSON.readTree(Http.get(platform.port(), "/health").body());
            assertThat(health.get("roles").get("dashboard").asText())
                    .startsWith("running; captures fail")
                    .contains(dataDir.resolve("no-chromium").toString())
                    .contains("apt-get install -y chromium chromium-driver");
        }
    }

    @Test
    void runs_only_the_roles_it_is_given(@TempDir Path dataDir) throws Exception {
        try (var platform = Platform.start(settings(dataDir, "aggregator"))) {
            var health = JSON.readTree(Http.get(platform.port(), "/health").body());
            assertThat(health.get("roles").has("aggregator")).isTrue();
            assertThat(health.get("roles").has("collector")).isFalse();
            assertThat(health.get("roles").has("dashboard")).isFalse();
            var collect = Http.collectOneClick(platform.port(), "anykey");
            assertThat(collect.statusCode()).isEqualTo(404);
            assertThat(collect.body()).contains("\"error\"");
        }
    }

    @Test
    void runs_on_an_external_postgresql_given_as_a_postgresql_url() throws Exception {
        String jdbc = TestPostgres.freshDatabase().jdbcUrl(); // jdbc:postgresql://localhost:PORT/NAME
        String url = jdbc.replace("jdbc:postgresql://", "postgresql://postgres@");
        Settings settings = Settings.fromEnvironment(Map.of(
                "ISOTHERM_DATABASE_URL", url, "ISOTHERM_PORT", "0", "ISOTHERM_BIND_ADDRESS", "127.0.0.1"));
        try (var platform = Platform.start(settings)) {
            assertThat(Http.get(platform.port(), "/health").statusCode()).isEqualTo(200);
            try (var c = DriverManager.getConnection(jdbc, "postgres", null);
                 var rs = c.createStatement().executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
                rs.next();
                assertThat(rs.getInt(1)).as("migrations applied on the external database").isPositive();
            }
        }
    }

    private static int countEvents(Path dataDir) throws Exception {
        int port = Integer.parseInt(java.nio.file.Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).trim());
        try (var c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", null);
             var rs = c.createStatement().executeQuery("SELECT count(*) FROM raw_event")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
