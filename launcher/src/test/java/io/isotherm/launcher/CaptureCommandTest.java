package io.isotherm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code isotherm capture}: real headless Chromium, a fixture page on this machine, the embedded database. */
class CaptureCommandTest {
    private static final String PAGE = """
            <!doctype html><html><head><title>Pricing</title><style>body{margin:0} #plans{height:1800px}</style></head>
            <body><section id="plans"><button id="buy">Buy</button></section></body></html>""";

    private static Javalin fixture;
    private static String origin;

    @BeforeAll
    static void start() {
        fixture = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get("/pricing", ctx -> ctx.html(PAGE));
            config.routes.get("/down", ctx -> ctx.status(503).html("<!doctype html><title>Unavailable</title><p>Try later</p>"));
        }).start("127.0.0.1", 0);
        origin = "http://127.0.0.1:" + fixture.port();
    }

    @AfterAll
    static void stop() {
        fixture.stop();
    }

    private static String addSite(Path dataDir) throws Exception {
        var added = Cli.run(dataDir, "site", "add", "--name", "Fixture", "--origin", origin, "--json");
        assertThat(added.exitCode()).as(added.err()).isZero();
        return added.json().get("key").asText();
    }

    @Test
    void captures_a_page_per_device_class_and_reports_each(@TempDir Path dataDir) throws Exception {
        String key = addSite(dataDir);
        var result = Cli.run(Map.of("ISOTHERM_CAPTURE_ALLOW_PRIVATE", "true"), dataDir,
                "capture", "--site", key, "--url", origin + "/pricing", "--device", "desktop,mobile", "--json");
        assertThat(result.exitCode()).as(result.err() + result.out()).isZero();
        JsonNode captures = result.json();
        assertThat(captures).hasSize(2);
        assertThat(captures.get(0).get("device").asText()).isEqualTo("desktop");
        assertThat(captures.get(0).get("status").asText()).isEqualTo("ok");
        assertThat(captures.get(0).get("width").asInt()).isEqualTo(1440);
        assertThat(captures.get(0).get("height").asInt()).isEqualTo(1800);
        assertThat(captures.get(1).get("device").asText()).isEqualTo("mobile");
        assertThat(captures.get(1).get("width").asInt()).isEqualTo(390);
        assertThat(captures.get(1).get("elementCount").asInt()).isGreaterThanOrEqualTo(2);

        // A page answering 503 is flagged, and the exit code says so.
        var down = Cli.run(Map.of("ISOTHERM_CAPTURE_ALLOW_PRIVATE", "true"), dataDir,
                "capture", "--site", key, "--url", origin + "/down", "--device", "desktop");
        assertThat(down.exitCode()).isEqualTo(2);
        assertThat(down.out()).contains("flagged as http error").contains("503");
    }

    @Test
    void refuses_a_private_address_unless_the_operator_allows_it(@TempDir Path dataDir) throws Exception {
        String key = addSite(dataDir);
        var result = Cli.run(dataDir, "capture", "--site", key, "--url", origin + "/pricing", "--device", "desktop");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("desktop: failed:").contains("ISOTHERM_CAPTURE_ALLOW_PRIVATE");
    }

    @Test
    void says_what_to_install_when_chromium_is_missing(@TempDir Path dataDir) throws Exception {
        String key = addSite(dataDir);
        var result = Cli.run(Map.of("ISOTHERM_CAPTURE_ALLOW_PRIVATE", "true", "ISOTHERM_CHROMIUM", dataDir.resolve("no-chromium").toString()),
                dataDir, "capture", "--site", key, "--url", origin + "/pricing", "--device", "desktop");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("apt-get install -y chromium chromium-driver");
    }

    @Test
    void refuses_an_unknown_site_and_a_url_off_its_origins(@TempDir Path dataDir) throws Exception {
        String key = addSite(dataDir);
        var unknown = Cli.run(dataDir, "capture", "--site", "nosuchsite", "--url", origin + "/pricing");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no site has the key 'nosuchsite'");
        var offOrigin = Cli.run(dataDir, "capture", "--site", key, "--url", "https://elsewhere.example/");
        assertThat(offOrigin.exitCode()).isEqualTo(1);
        assertThat(offOrigin.err()).contains("origins");
    }
}
