package io.isotherm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.launcher.AppVisitor.Screen;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Traffic segments end to end: the whole platform, a landing page with the site's tag and an A/B test that sets the
 * variant, visited in a real Chromium from two campaigns (one through a search engine's link, one typed) and with two
 * variants; aggregated by the platform's aggregator and read back by a viewer of the site. Each filtered report holds
 * exactly the clicks of its visitors.
 */
class SegmentsJourneyTest {
    private static final Screen DESKTOP = new Screen("1440 px", 1440, 900, 1, false);
    private static final String LANDING = """
            <!doctype html><html><head><meta charset="utf-8"><title>Spring sale</title>%s</head>
            <body style="margin:0;font:16px sans-serif">
            <button id="buy" style="position:absolute;left:100px;top:200px;width:200px;height:60px">Buy</button>
            <button id="info" style="position:absolute;left:600px;top:400px;width:200px;height:60px">More</button>
            <div style="height:2000px"></div>
            <script>
              // The page's A/B test picks the variant and tells Isotherm before the tracker starts (tracker-js/README.md).
              var variant = new URLSearchParams(location.search).get('v');
              var tag = document.querySelector('script[data-site]');
              if (variant && tag) tag.dataset.variant = variant;
            </script>
            </body></html>""";

    @TempDir
    static Path temp;

    private static Platform platform;
    private static TaggedSite site;
    private static AppVisitor visitor;
    private static Team team;
    private static Team.Member viewer;
    private static String key;

    @BeforeAll
    static void visitAndAggregate() throws Exception {
        Path dataDir = temp.resolve("data");
        platform = Platform.start(Settings.fromEnvironment(Map.of(
                "ISOTHERM_DATA_DIR", dataDir.toString(),
                "ISOTHERM_PORT", "0",
                "ISOTHERM_BIND_ADDRESS", "127.0.0.1",
                "ISOTHERM_ROLES", "all",
                "ISOTHERM_CAPTURE_WORKER", "false",
                "ISOTHERM_AGGREGATE_INTERVAL_SECONDS", "3600")));
        team = new Team(platform.port());
        Team.Member admin = team.setUpAdministrator("ana@segments.example");
        site = new TaggedSite((path, tag) -> path.equals("/landing") ? LANDING.formatted(tag) : null);
        var created = team.send(admin, "POST", "/api/sites", "{\"name\":\"Spring\",\"origins\":[\"" + site.origin()
                + "\"],\"timeZone\":\"UTC\"}");
        assertThat(created.status()).as("adding the site: " + created.body()).isEqualTo(201);
        key = created.json().get("key").asText();
        viewer = team.invite(admin, key, "vic@segments.example", "viewer");
        site.paste(team.send(admin, "GET", "/api/sites/" + key + "/install", null).json().get("snippet").asText());

        visitor = new AppVisitor(temp.resolve("profile"));
        String spring = "/landing?utm_source=newsletter&utm_medium=email&utm_campaign=spring";
        String autumn = "/landing?utm_source=ads&utm_medium=cpc&utm_campaign=autumn";
        // Spring comes through a search engine's link (http: a page on https would send no referrer to this http site),
        // autumn typed (no referrer).
        visit(spring + "&v=A", "http://www.google.com/", "#buy", "#buy");
        visit(spring + "&v=B", "http://www.google.com/", "#info");
        visit(autumn + "&v=A", null, "#buy", "#info");
        visit(autumn + "&v=B", null, "#info", "#info", "#info");

        long deadline = System.nanoTime() + 60_000_000_000L;
        long counted;
        do {
            Cli.Result aggregated = Cli.run(dataDir, "aggregate", "--once", "--json");
            assertThat(aggregated.exitCode()).as("aggregate --once: " + aggregated.err()).isZero();
            counted = elements(Map.of()).get("pageClicks").asLong();
            if (counted >= 8) break;
            AppVisitor.pause(500);
        } while (System.nanoTime() < deadline);
        assertThat(counted).as("every click counted: %s", get("/elements?page=" + encode(site.url("/landing")) + "&raw=true")).isEqualTo(8);
    }

    /** One page view: opened (from a referrer or typed), its elements clicked a second apart (no rage), left. */
    private static void visit(String path, String referrer, String... clicks) {
        visitor.open(site.url(path), referrer, DESKTOP);
        for (String element : clicks) {
            visitor.press("document.querySelector('" + element + "')", 0.5, 0.5);
            AppVisitor.pause(1100);
        }
        visitor.leave();
    }

    @AfterAll
    static void closeEverything() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {visitor, site, platform}) if (c != null) c.close();
    }

    @Test
    void each_campaign_s_reports_hold_exactly_its_visitors_clicks() {
        assertThat(clicks(Map.of("utm_campaign", "spring"))).isEqualTo(Map.of("#buy", 2L, "#info", 1L));
        assertThat(clicks(Map.of("utm_campaign", "autumn"))).isEqualTo(Map.of("#buy", 1L, "#info", 4L));
        assertThat(clicks(Map.of("utm_source", "newsletter", "utm_medium", "email"))).isEqualTo(Map.of("#buy", 2L, "#info", 1L));
        assertThat(elements(Map.of("utm_campaign", "spring")).get("pageviews").asLong()).isEqualTo(2);
        assertThat(heatmap(Map.of("utm_campaign", "spring")).get("total").asLong()).isEqualTo(3);
        assertThat(heatmap(Map.of("utm_campaign", "autumn")).get("total").asLong()).isEqualTo(5);
    }

    @Test
    void each_variant_s_and_a_campaign_and_variant_together() {
        assertThat(clicks(Map.of("variant", "A"))).isEqualTo(Map.of("#buy", 3L, "#info", 1L));
        assertThat(clicks(Map.of("variant", "B"))).isEqualTo(Map.of("#info", 4L));
        assertThat(clicks(Map.of("variant", "B", "utm_campaign", "spring"))).isEqualTo(Map.of("#info", 1L));
        assertThat(heatmap(Map.of("variant", "B")).get("pageviews").asLong()).isEqualTo(2);
        assertThat(heatmap(Map.of("variant", "B")).get("total").asLong()).isEqualTo(4);
    }

    @Test
    void where_visitors_came_from_and_what_they_browsed_with() {
        assertThat(clicks(Map.of("referrer", "search"))).isEqualTo(Map.of("#buy", 2L, "#info", 1L));
        assertThat(clicks(Map.of("referrer", "direct"))).isEqualTo(Map.of("#buy", 1L, "#info", 4L));
        // The test browser is Chrome on Linux; its time zone is the machine's.
        assertThat(elements(Map.of("browser", "Chrome", "os", "Linux")).get("pageClicks").asLong()).isEqualTo(8);
        JsonNode values = get("/segments?page=" + encode(site.url("/landing"))).get("segments");
        assertThat(values.get("utm_campaign").findValuesAsText("value")).containsExactlyInAnyOrder("spring", "autumn");
        assertThat(values.get("variant").findValuesAsText("value")).containsExactlyInAnyOrder("A", "B");
        assertThat(values.get("referrer").findValuesAsText("value")).containsExactlyInAnyOrder("search", "direct");
    }

    private static Map<String, Long> clicks(Map<String, String> filter) {
        Map<String, Long> clicks = new LinkedHashMap<>();
        for (JsonNode e : elements(filter).get("elements")) clicks.put(e.get("selector").asText(), e.get("clicks").asLong());
        return clicks;
    }

    private static JsonNode elements(Map<String, String> filter) {
        return get("/elements?page=" + encode(site.url("/landing")) + query(filter));
    }

    private static JsonNode heatmap(Map<String, String> filter) {
        return get("/heatmap?kind=click&sigma=4&page=" + encode(site.url("/landing")) + query(filter));
    }

    private static JsonNode get(String path) {
        var answer = team.send(viewer, "GET", "/api/sites/" + key + path, null);
        assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static String query(Map<String, String> filter) {
        StringBuilder q = new StringBuilder();
        filter.forEach((k, v) -> q.append('&').append(k).append('=').append(encode(v)));
        return q.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
