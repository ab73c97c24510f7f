package io.isotherm.dashboard.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.dashboard.DashboardServer;
import io.isotherm.db.segment.Countries;
import io.isotherm.db.site.Site;
import io.isotherm.testing.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The countries page in a real Chromium: a known set of time zones colours exactly the right countries of the world
 * map, in the palette colours the API's numbers imply; the table beside it is the API's, sorted; every country
 * links to its heatmap filtered by country.
 */
class CountryMapTest {
    @TempDir
    static Path profile;
    static DashboardServer server;
    static ChromeDriver browser;
    static Site site;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        CountryVisits visits = new CountryVisits(server.db(), TODAY);
        site = visits.site("Shop", "https://shop.example");
        visits.knownSet(site, visits.page(site, CountryApiTest.HOME), visits.page(site, CountryApiTest.PRICING), CountryApiTest.T0);
        visits.aggregate();
        browser = Chromium.window(1600, 1000).profile(profile).start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (server != null) server.close();
    }

    @Test
    void the_known_time_zones_colour_exactly_their_countries_in_the_palette_colours_of_the_apis_numbers() {
        JsonNode report = server.get(site.publicKey(), "countries").json();
        open("");

        assertColours(report, c -> c.get("pageviews").asDouble(), max(report, "pageviews"));
        // Brazil had no visitor: the no-data grey, as every other country without page views.
        String noData = (String) js("return arguments[0]", choropleth("NO_DATA"));
        assertThat(fill(find("#countries-map path[data-numeric='" + mapId("BR") + "']"))).isEqualTo(noData);
        assertThat(browser.findElements(By.cssSelector("#countries-map path:not([data-code])")))
                .hasSizeGreaterThan(150).allSatisfy(p -> assertThat(fill(p)).isEqualTo(noData));
        assertThat(noData).isNotIn(paletteColours());
    }

    @Test
    void the_table_is_the_apis_sorted_by_the_metric_shown_and_every_country_links_to_its_heatmap_by_country() {
        JsonNode report = server.get(site.publicKey(), "countries").json();
        open("");

        List<List<String>> expected = new ArrayList<>();
        for (JsonNode c : report.get("countries")) {
            expected.add(List.of(c.get("name").asText(), Long.toString(c.get("pageviews").asLong()),
                    Long.toString(c.get("clicks").asLong()), String.format(Locale.ROOT, "%.1f %%", c.get("reach").asDouble())));
        }
        assertThat(tableRows()).isEqualTo(expected);
        assertThat(report.get("countries").findValuesAsText("code")).containsExactly("FR", "US", "DE", "IN", "JP");
        assertThat(find("#countries-unknown").getText()).contains("2").contains("50.0 %");
        assertThat(find("#countries-not-recorded").getText()).contains("1").contains("64.0 %");

        for (JsonNode c : report.get("countries")) {
            String code = c.get("code").asText();
            String link = find("#countries-table tr[data-code=" + code + "] a").getAttribute("href");
            assertThat(link).contains("/view?site=" + site.publicKey()).contains("country=" + code)
                    .contains("page=" + java.net.URLEncoder.encode(c.get("topPage").asText(), java.nio.charset.StandardCharsets.UTF_8));
            // The map's link wraps the country's shape.
            String mapLink = (String) js("return arguments[0].closest('a').getAttribute('href')", find("#countries-map path[data-code=" + code + "]"));
            assertThat(server.url() + mapLink).isEqualTo(link);
        }

        // By clicks: the US first (5); France and India tie on 3, France has more page views.
        find("#countries-controls input[name=metric][value=clicks]").findElement(By.xpath("..")).click();
        waitReady("clicks|");
        assertThat(tableRows().stream().map(r -> r.get(0)).toList()).containsExactly("United States", "France", "India", "Japan", "Germany");
        assertThat(browser.getCurrentUrl()).contains("metric=clicks");
        assertColours(report, c -> c.get("clicks").asDouble(), max(report, "clicks"));

        // Reach is on its own scale, 0 to 100 %.
        find("#countries-controls input[name=metric][value=reach]").findElement(By.xpath("..")).click();
        waitReady("reach|");
        assertColours(report, c -> c.get("reach").asDouble(), 100);
    }

    @Test
    void hovering_a_country_tells_its_exact_value_and_the_device_switch_asks_the_api_for_that_class() {
        open("");
        new Actions(browser).moveToElement(find("#countries-map path[data-code=DE]")).perform();
        WebElement tip = find("#tooltip");
        waitUntil(tip::isDisplayed);
        assertThat(tip.getText()).contains("Germany").contains("2 page views");

        find("#countries-controls input[name=device][value=tablet]").findElement(By.xpath("..")).click();
        waitReady("pageviews|tablet|");
        JsonNode tablet = server.get(site.publicKey(), "countries", "device", "tablet").json();
        assertThat(tableRows().stream().map(r -> r.get(0)).toList()).containsExactly("Japan");
        assertColours(tablet, c -> c.get("pageviews").asDouble(), 1);
        assertThat(find("#countries-table tr[data-code=JP] a").getAttribute("href")).contains("device=tablet").contains("country=JP");
    }

    @Test
    void the_sites_page_links_to_the_report() {
        browser.get(server.url() + "/?site=" + site.publicKey());
        find("#countries-link").click();
        waitReady("pageviews|");
        assertThat(browser.getCurrentUrl()).isEqualTo(server.url() + "/countries?site=" + site.publicKey());
        assertThat(find("h1").getText()).isEqualTo("Countries · Shop");
        assertThat(find(".page-head p").getText()).startsWith("By time zone");
    }

    /** Every country of the report, and no other, has the palette's colour of its value on a scale from 0 to max. */
    private void assertColours(JsonNode report, ToDoubleFunction<JsonNode> value, double max) {
        Map<String, String> expected = new TreeMap<>(), actual = new TreeMap<>();
        for (JsonNode c : report.get("countries")) {
            String code = c.get("code").asText();
            long index = Math.round(255 * Math.min(1, value.applyAsDouble(c) / max));
            expected.put(code, paletteColour(index));
            WebElement path = find("#countries-map path[data-numeric='" + mapId(code) + "']");
            assertThat(path.getAttribute("data-code")).isEqualTo(code);
            actual.put(code, fill(path));
        }
        assertThat(actual).isEqualTo(expected);
        List<String> coloured = browser.findElements(By.cssSelector("#countries-map path[data-code]")).stream()
                .map(p -> p.getAttribute("data-code")).sorted().toList();
        assertThat(coloured).isEqualTo(new ArrayList<>(expected.keySet()));
    }

    private static double max(JsonNode report, String metric) {
        double max = 0;
        for (JsonNode c : report.get("countries")) max = Math.max(max, c.get(metric).asDouble());
        return max;
    }

    /** The map id of a country: its ISO numeric code in three digits, as world-atlas writes it. */
    private static String mapId(String alpha2) {
        return "%03d".formatted(Countries.numeric(alpha2));
    }

    /** The viridis entry, from the dashboard's own palette module, as CSS writes a colour. */
    private String paletteColour(long index) {
        Object rgb = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/ui/palettes.js').then((m) => { const [r, g, b] = m.colourAt('viridis', arguments[0]); done(`rgb(${r}, ${g}, ${b})`); });""",
                index);
        return (String) rgb;
    }

    private List<String> paletteColours() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 256; i++) all.add(paletteColour(i));
        return all;
    }

    private Object choropleth(String name) {
        return browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/ui/choropleth.js').then((m) => done(m[arguments[0]]));""", name);
    }

    private void open(String query) {
        browser.get(server.url() + "/countries?site=" + site.publicKey() + query);
        waitReady("pageviews|");
    }

    private void waitReady(String prefix) {
        waitUntil(() -> {
            String ready = find("#countries").getAttribute("data-ready");
            return ready != null && ready.startsWith(prefix);
        });
    }

    private List<List<String>> tableRows() {
        List<List<String>> rows = new ArrayList<>();
        for (WebElement tr : browser.findElements(By.cssSelector("#countries-table tbody tr"))) {
            List<String> cells = new ArrayList<>();
            for (WebElement cell : tr.findElements(By.cssSelector("th, td"))) cells.add(cell.getText().trim());
            rows.add(cells);
        }
        return rows;
    }

    private static String fill(WebElement path) {
        return (String) js("return getComputedStyle(arguments[0]).fill", path);
    }

    private static WebElement find(String css) {
        waitUntil(() -> !browser.findElements(By.cssSelector(css)).isEmpty());
        return browser.findElement(By.cssSelector(css));
    }

    private static Object js(String script, Object... args) {
        return browser.executeScript(script, args);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("timed out; page: " + browser.getCurrentUrl());
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
