package io.isotherm.dashboard;

import io.isotherm.db.site.Site;
import io.isotherm.testing.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/sites/{site}/export}: the PNG of the whole page, the CSV tables and the offline HTML file. */
class ExportApiTest {
    static final String PAGE = "https://shop.example/pricing";
    static final String BARE = "https://shop.example/no-screenshot";
    static final String TALL = "https://shop.example/long-read";
    static final int TALL_DOCUMENT = 24_000, LIMIT = 16_384;
    static final Traffic.Box BUY = new Traffic.Box("#buy", 600, 1000, 240, 48, "=HYPERLINK(\"http://evil.example\",\"Buy\")");
    static final int CLICKS = 12, DOCUMENT = 3000, HOT_X = 724, HOT_Y = 1028, HEADER = 120;
    /** Viridis' top colour, the legend's hot end. */
    static final int VIRIDIS_TOP = 0xfde725;

    static DashboardServer server;
    static Site site;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        Traffic traffic = server.traffic();
        site = traffic.site("UTC");
        long page = traffic.page(site, PAGE);
        long bare = traffic.page(site, BARE);
        traffic.capture(site, page, "desktop", 1440, 2000, 1000, List.of(BUY));
        Instant t = TODAY.minusDays(2).atTime(12, 0).toInstant(ZoneOffset.UTC);
        for (long p : new long[]{page, bare}) {
            Traffic.Visit visit = traffic.visit(site, p, "desktop", 1440, 900, DOCUMENT);
            for (int c = 0; c < CLICKS; c++) visit.click(t.plusSeconds(c), 700, 1010, "#buy");
            visit.scroll(t.plusSeconds(20), 1800, 4000).send();
        }
        long tall = traffic.page(site, TALL);
        traffic.visit(site, tall, "desktop", 1440, 900, TALL_DOCUMENT).click(t, 700, 23_000, "#end").send();
        traffic.aggregate();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void csv_tables_have_their_documented_columns_and_the_api_numbers() {
        List<List<String>> elements = csv("page", PAGE, "format", "csv", "table", "elements");
        assertThat(elements.get(0)).containsExactly("selector", "label", "clicks", "share_pct", "rage_clicks", "dead_clicks",
                "x_px", "y_px", "width_px", "height_px");
        // The label a page chose is text in a spreadsheet, never a formula.
        assertThat(elements.get(1)).containsExactly("#buy", "'" + BUY.label(), String.valueOf(CLICKS), "100", "0", "0",
                "600", "1000", "240", "48");

        List<List<String>> cells = csv("page", PAGE, "format", "csv", "table", "cells");
        assertThat(cells.get(0)).containsExactly("x_px", "y_px", "cell_px", "count");
        // Clicks on #buy are placed on its box on the current layout (its middle, 720, 1024), as the heatmap API places them.
        assertThat(cells.subList(1, cells.size())).containsExactly(List.of("720", "1024", "8", String.valueOf(CLICKS)));

        List<List<String>> scroll = csv("page", PAGE, "format", "csv", "table", "scroll");
        assertThat(scroll.get(0)).containsExactly("y_px", "reached_pct", "seconds_in_view", "seconds_in_view_per_pageview");
        assertThat(scroll.get(1).subList(0, 2)).containsExactly("0", "100");

        List<List<String>> hours = csv("page", PAGE, "format", "csv", "table", "hours");
        assertThat(hours.get(0)).containsExactly("weekday", "hour", "clicks", "pageviews");
        assertThat(hours).hasSize(1 + 7 * 24);
        String weekday = TODAY.minusDays(2).getDayOfWeek().getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH);
        assertThat(hours).contains(List.of(weekday, "12", String.valueOf(CLICKS), "1"));
    }

    @Test
    void bad_parameters_are_400_json_naming_the_parameter() {
        assertBad("format", "page", PAGE);
        assertBad("format", "page", PAGE, "format", "gif");
        assertBad("page", "format", "csv");
        assertBad("map", "page", PAGE, "format", "png", "map", "heat");
        assertBad("table", "page", PAGE, "format", "csv", "table", "everything");
        assertBad("sigma", "page", PAGE, "format", "html", "sigma", "0");
        assertBad("palette", "page", PAGE, "format", "html", "palette", "rainbow");
        assertBad("device", "page", PAGE, "format", "html", "device", "watch");
        assertBad("from", "page", PAGE, "format", "csv", "from", "yesterday");
        var unknown = server.get(site.publicKey(), "export", "page", "https://shop.example/nowhere", "format", "csv");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("field").asText()).isEqualTo("page");
    }

    @Test
    void png_holds_the_whole_page_under_a_header_with_the_legend() throws Exception {
        BufferedImage png = png(PAGE);
        assertThat(png.getWidth()).isEqualTo(1440);
        assertThat(png.getHeight()).as("the header and the whole page, not the visible part").isEqualTo(HEADER + DOCUMENT);
        assertThat(count(png, 0, HEADER, VIRIDIS_TOP, 10)).as("the legend's hot end in the header").isGreaterThanOrEqualTo(10);
        int hot = png.getRGB(HOT_X, HEADER + HOT_Y) & 0xffffff;
        assertThat(distance(hot, VIRIDIS_TOP)).as("the hotspot, towards viridis' top").isLessThan(distance(screenshotAt(HOT_X, HOT_Y), VIRIDIS_TOP));
        // Far from any click, the screenshot alone: the tile is white there, and so is the export.
        assertThat(png.getRGB(1300, HEADER + 1800) & 0xffffff).isEqualTo(0xffffff);
        // Below the screenshot (2,000 px) the page goes on: its layout is 3,000 px tall.
        assertThat(png.getRGB(1300, HEADER + 2500) & 0xffffff).isEqualTo(0xffffff);
    }

    @Test
    void png_of_a_page_without_a_screenshot_draws_the_heat_on_a_plain_background() throws Exception {
        BufferedImage png = png(BARE);
        assertThat(png.getHeight()).isEqualTo(HEADER + DOCUMENT);
        assertThat(png.getRGB(1300, HEADER + 2500) & 0xffffff).as("plain background").isEqualTo(0xf6f7f9);
        assertThat(png.getRGB(HOT_X, HEADER + HOT_Y) & 0xffffff).as("heat at the hotspot").isNotEqualTo(0xf6f7f9);
        assertThat(count(png, 0, HEADER, VIRIDIS_TOP, 10)).isGreaterThanOrEqualTo(10);
    }

    @Test
    void png_of_a_very_tall_page_is_scaled_down_to_the_documented_limit() throws Exception {
        BufferedImage png = png(TALL);
        double scale = (double) LIMIT / (HEADER + TALL_DOCUMENT);
        assertThat(png.getHeight()).isEqualTo(LIMIT);
        assertThat(png.getWidth()).isCloseTo((int) Math.round(1440 * scale), org.assertj.core.data.Offset.offset(1));
        // The click near the bottom is still drawn, scaled with the page.
        int x = (int) Math.round(700 * scale), y = (int) Math.round((HEADER + 23_000) * scale);
        assertThat(png.getRGB(x, y) & 0xffffff).as("heat near the bottom").isNotEqualTo(0xf6f7f9);
        assertThat(png.getRGB(x, (int) Math.round((HEADER + 12_000) * scale)) & 0xffffff).as("plain page").isEqualTo(0xf6f7f9);
    }

    @Test
    void html_opens_offline_from_a_file_shows_the_heat_and_answers_hover_with_exact_values(@TempDir Path dir) throws Exception {
        Path withShot = dir.resolve("export.html");
        Path bare = dir.resolve("bare.html");
        Files.write(withShot, bytes(PAGE, "html"));
        Files.write(bare, bytes(BARE, "html"));
        Path scroll = dir.resolve("scroll.html");
        Files.write(scroll, server.getBytes(path("page", PAGE, "format", "html", "map", "scroll")).body());
        ChromeDriver driver = Chromium.window(1600, 1200).profile(dir.resolve("profile")).start();
        try {
            // No network at all: the file must carry everything it shows.
            driver.executeCdpCommand("Network.enable", Map.of());
            driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("http://*", "https://*", "ws://*", "wss://*")));
            driver.get(withShot.toUri().toString());
            JavascriptExecutor js = driver;
            waitReady(js);
            assertThat(js.executeScript("return performance.getEntriesByType('resource').filter(e => !e.name.startsWith('data:')).length"))
                    .as("nothing fetched").isEqualTo(0L);
            assertThat(js.executeScript("return document.querySelectorAll('.x-shots img').length")).isEqualTo(2L);
            String heatAlpha = """
                    const [x, y] = arguments;
                    for (const c of document.querySelectorAll('.x-heat canvas')) {
                      const top = Number(c.dataset.top);
                      if (y >= top && y < top + c.height) return c.getContext('2d').getImageData(x, y - top, 1, 1).data[3];
                    }
                    return -1;""";
            assertThat(((Number) js.executeScript(heatAlpha, HOT_X, HOT_Y)).intValue()).as("heat drawn at the hotspot").isGreaterThan(128);
            assertThat(((Number) js.executeScript(heatAlpha, 1300, 2500)).intValue()).as("no heat far away").isZero();

            // Hover the hotspot: the tooltip tells the exact count of the cell and the element's clicks.
            Number top = (Number) js.executeScript("""
                    window.scrollTo(0, arguments[0] - 300);
                    return document.querySelector('.x-page').getBoundingClientRect().top;""", HOT_Y);
            new Actions(driver).moveToLocation(HOT_X, top.intValue() + HOT_Y).perform();
            String tip = (String) js.executeScript("const t = document.getElementById('tooltip'); return t.hidden ? '' : t.textContent;");
            assertThat(tip).contains(CLICKS + " clicks").contains("#buy");

            // The palette switch recolours the legend and the heat.
            String legendTop = "const c = document.querySelector('.legend-bar'); return Array.from(c.getContext('2d').getImageData(255, 0, 1, 1).data.slice(0, 3)).join(',');";
            assertThat(js.executeScript(legendTop)).isEqualTo("253,231,37");
            js.executeScript("const s = document.querySelector('select[name=palette]'); s.value = 'inferno'; s.dispatchEvent(new Event('change'));");
            assertThat(js.executeScript(legendTop)).isNotEqualTo("253,231,37");

            driver.get(bare.toUri().toString());
            waitReady(js);
            assertThat((String) js.executeScript("return document.querySelector('.x-head').textContent"))
                    .contains("No screenshot of this page on this device: the heat is drawn on a plain background.");
            assertThat(((Number) js.executeScript(heatAlpha, HOT_X, HOT_Y)).intValue()).isGreaterThan(128);

            // The scroll map: every visitor reached the top band, and the reach lines are drawn.
            driver.get(scroll.toUri().toString());
            waitReady(js);
            // Bands span the page's width, so the viewer draws them at 30 % of opaque at most (palettes.js BANDS_ALPHA).
            assertThat(((Number) js.executeScript(heatAlpha, 100, 20)).intValue()).as("the top band, reached by all, at the bands' full strength")
                    .isBetween(70, 80);
            assertThat(js.executeScript("return document.querySelectorAll('.x-marks .reach-mark').length")).isEqualTo(3L);
            assertThat((String) js.executeScript("return document.getElementById('legend').textContent")).contains("reached");
        } finally {
            driver.quit();
        }
    }

    private static void waitReady(JavascriptExecutor js) throws InterruptedException {
        for (int i = 0; i < 200 && !Boolean.TRUE.equals(js.executeScript("return document.documentElement.dataset.ready === '1'")); i++) {
            Thread.sleep(50);
        }
        assertThat(js.executeScript("return document.documentElement.dataset.ready")).as("the export drew itself").isEqualTo("1");
    }

    /** The capture's tiles are white with a tinted block at #buy (Traffic draws the first box in hue 0). */
    private static int screenshotAt(int x, int y) {
        boolean onBuy = x >= BUY.x() && x < BUY.x() + BUY.width() && y >= BUY.y() && y < BUY.y() + BUY.height();
        return onBuy ? java.awt.Color.getHSBColor(0, 0.35f, 0.95f).getRGB() & 0xffffff : 0xffffff;
    }

    private static BufferedImage png(String page) throws Exception {
        HttpResponse<byte[]> response = server.getBytes(path("page", page, "format", "png"));
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(response.headers().firstValue("Content-Disposition").orElse(""))
                .matches("attachment; filename=\"isotherm-click-desktop-\\d{4}-\\d{2}-\\d{2}-\\d{4}-\\d{2}-\\d{2}\\.png\"");
        return ImageIO.read(new ByteArrayInputStream(response.body()));
    }

    private static byte[] bytes(String page, String format) {
        HttpResponse<byte[]> response = server.getBytes(path("page", page, "format", format));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static List<List<String>> csv(String... params) {
        HttpResponse<byte[]> response = server.getBytes(path(params));
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(body).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        return parse(body);
    }

    /** RFC 4180: quoted cells may hold commas, quotes (doubled) and line breaks; rows end with CRLF. */
    static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                cell.append(c);
            }
        }
        assertThat(cell.length() == 0 && row.isEmpty()).as("the last row ends with CRLF").isTrue();
        return rows;
    }

    private static String path(String... params) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < params.length; i += 2) pairs.add(params[i] + "=" + URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        return "/api/sites/" + site.publicKey() + "/export?" + String.join("&", pairs);
    }

    private static void assertBad(String field, String... params) {
        var response = server.get(path(params));
        assertThat(response.status()).as(Arrays.toString(params)).isEqualTo(400);
        assertThat(response.json().get("field").asText()).isEqualTo(field);
        assertThat(response.json().get("error").asText()).isNotBlank();
    }

    private static int count(BufferedImage image, int top, int bottom, int rgb, int tolerance) {
        int n = 0;
        for (int y = top; y < bottom; y++) {
            for (int x = 0; x < image.getWidth(); x++) if (distance(image.getRGB(x, y) & 0xffffff, rgb) <= tolerance) n++;
        }
        return n;
    }

    private static int distance(int a, int b) {
        return Math.abs((a >> 16 & 255) - (b >> 16 & 255)) + Math.abs((a >> 8 & 255) - (b >> 8 & 255)) + Math.abs((a & 255) - (b & 255));
    }
}
