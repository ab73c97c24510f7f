package io.isotherm.dashboard;

import io.isotherm.db.site.Site;
import io.isotherm.testing.StoredTraffic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.OutputType;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.isotherm.dashboard.DashboardServer.TODAY;

/**
 * The README's screenshots of the viewer: a landing page (test resource viewer/landing.html, shot by Chromium at
 * 1440 px as a capture would be) with two months of plausible traffic, shown as a click map, a scroll map and a
 * before/after difference map. Runs only when {@code -Disotherm.screenshots=DIR} names the output directory
 * (scripts/readme-screenshots.sh).
 */
@EnabledIfSystemProperty(named = "isotherm.screenshots", matches = ".+")
class ReadmeScreenshots {
    static final String PAGE = "https://fernway.example/";
    /** The same landing page under an A/B test: variant A leads with the trial, B with the demo video. */
    static final String AB_PAGE = "https://fernway.example/spring";
    static final int TILE = 1000;

    @TempDir
    static Path profile;
    static DashboardServer server;
    static ViewerBrowser browser;
    static Site site;
    static Map<String, Traffic.Box> boxes;
    static List<byte[]> landingTiles;
    static int landingHeight;
    static Path out;

    @BeforeAll
    static void start() throws Exception {
        out = Path.of(System.getProperty("isotherm.screenshots"));
        Files.createDirectories(out);
        server = DashboardServer.start();
        browser = ViewerBrowser.start(profile);
        Traffic traffic = server.traffic();
        site = new io.isotherm.db.site.SiteDao(server.db().jdbi()).add("Fernway", List.of("https://fernway.example"), List.of());
        long page = traffic.page(site, PAGE);
        int height = shootLanding(traffic, page);
        visits(traffic, page, height);
        long abPage = traffic.page(site, AB_PAGE);
        shootLanding(traffic, abPage);
        abTest(traffic, abPage, height);
        traffic.aggregate();
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    /** Loads the landing page at 1440 px, stores its full-page screenshot in tiles and its element boxes. */
    static int shootLanding(Traffic traffic, long page) throws IOException, URISyntaxException {
        browser.driver().get(ReadmeScreenshots.class.getResource("/viewer/landing.html").toURI().toString());
        browser.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 1440, "height", 900, "deviceScaleFactor", 1, "mobile", false));
        int height = (int) browser.number("document.documentElement.scrollHeight");
        browser.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 1440, "height", height, "deviceScaleFactor", 1, "mobile", false));
        String png = (String) browser.driver().executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true)).get("data");
        @SuppressWarnings("unchecked")
        List<List<Object>> found = (List<List<Object>>) browser.js("""
                return [...document.querySelectorAll('[id]')].map((e) => {
                  const r = e.getBoundingClientRect();
                  // A human label, as the capture takes one (aria-label, else the visible text, trimmed).
                  const label = (e.getAttribute('aria-label') || e.innerText || '').trim().replace(/\s+/g, ' ').slice(0, 60);
                  return ['#' + e.id, Math.round(r.left + scrollX), Math.round(r.top + scrollY), Math.round(r.width), Math.round(r.height), label];
                });""");
        browser.driver().executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        boxes = new LinkedHashMap<>();
        for (List<Object> b : found) {
            boxes.put((String) b.get(0), new Traffic.Box((String) b.get(0), n(b.get(1)), n(b.get(2)), n(b.get(3)), n(b.get(4)),
                    ((String) b.get(5)).isEmpty() ? null : (String) b.get(5)));
        }
        BufferedImage full = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png)));
        List<byte[]> tiles = new ArrayList<>();
        for (int y = 0; y < height; y += TILE) {
            ByteArrayOutputStream tile = new ByteArrayOutputStream();
            ImageIO.write(full.getSubimage(0, y, 1440, Math.min(TILE, height - y)), "png", tile);
            tiles.add(tile.toByteArray());
        }
        traffic.capture(site, page, "desktop", 1440, height, TILE, tiles, List.copyOf(boxes.values()));
        landingTiles = tiles;
        landingHeight = height;
        return height;
    }

    private static int n(Object o) {
        return ((Number) o).intValue();
    }

    /**
     * The last 30 days after a redesign that made the trial button the obvious next step; the 30 days before, when
     * the demo video was. Part of the clicks carry no selector, so they land where they were, spread over the boxes.
     */
    static void visits(Traffic traffic, long page, int height) {
        Random random = new Random(42);
        Map<String, Integer> after = new LinkedHashMap<>(); // in order, so the same seed makes the same pictures
        Object[] weights = {"#hero-cta", 34, "#hero-demo", 6, "#nav-pricing", 12, "#nav-signup", 7, "#nav-login", 6,
            "#hero-img", 9, "#plan-team-cta", 11, "#plan-free-cta", 4, "#plan-business-cta", 3, "#feature-timeline", 3,
            "#faq-import", 3, "#faq-cancel", 2, "#footer-cta", 4, "#logo", 2};
        for (int i = 0; i < weights.length; i += 2) after.put((String) weights[i], (Integer) weights[i + 1]);
        Map<String, Integer> before = new LinkedHashMap<>(after);
        before.put("#hero-cta", 12);
        before.put("#hero-demo", 22);
        before.put("#plan-team-cta", 7);
        for (int i = 0; i < 420; i++) visit(traffic, page, height, random, after, 0, 29);
        for (int i = 0; i < 320; i++) visit(traffic, page, height, random, before, 30, 59);
    }

    /** An A/B test on its own page over the last 30 days: variant A with the redesign's clicks, B with the old ones. */
    static void abTest(Traffic traffic, long page, int height) {
        Random random = new Random(7);
        Map<String, Integer> a = new LinkedHashMap<>(), b = new LinkedHashMap<>();
        Object[] weights = {"#hero-cta", 34, "#hero-demo", 6, "#nav-pricing", 12, "#nav-signup", 7, "#plan-team-cta", 11,
            "#footer-cta", 4};
        for (int i = 0; i < weights.length; i += 2) a.put((String) weights[i], (Integer) weights[i + 1]);
        b.putAll(a);
        b.put("#hero-cta", 10);
        b.put("#hero-demo", 26);
        StoredTraffic.Visit spring = StoredTraffic.Visit.DIRECT.referrer("search").campaign("newsletter", "email", "spring");
        for (int i = 0; i < 300; i++) {
            boolean variantA = i % 2 == 0;
            visit(traffic, page, height, random, variantA ? a : b, 0, 29, spring.variant(variantA ? "A" : "B"));
        }
    }

    private static void visit(Traffic traffic, long page, int height, Random random, Map<String, Integer> weights,
                              int newestDay, int oldestDay) {
        visit(traffic, page, height, random, weights, newestDay, oldestDay, null);
    }

    private static void visit(Traffic traffic, long page, int height, Random random, Map<String, Integer> weights,
                              int newestDay, int oldestDay, StoredTraffic.Visit segment) {
        LocalDate day = TODAY.minusDays(newestDay + random.nextInt(oldestDay - newestDay + 1));
        Instant t = day.atTime(8 + random.nextInt(12), random.nextInt(60)).toInstant(ZoneOffset.UTC);
        int viewport = 760 + 50 * random.nextInt(7);
        Traffic.Visit visit = traffic.visit(site, page, "desktop", 1440, viewport, height).from(segment);
        int deepest = (int) Math.min(height, viewport + (-Math.log(1 - random.nextDouble()) * 1500));
        visit.scroll(t, viewport, 2000 + random.nextInt(6000));
        if (deepest > viewport + 300) visit.scroll(t.plusSeconds(8), (viewport + deepest) / 2, 1000 + random.nextInt(4000));
        visit.scroll(t.plusSeconds(15), deepest, 500 + random.nextInt(3000));
        for (int m = 0; m < 4; m++) visit.move(t.plusSeconds(m), 300 + random.nextInt(900), 120 + random.nextInt(Math.min(deepest, 1400)));
        int clicks = random.nextInt(4);
        for (int c = 0; c < clicks; c++) {
            Traffic.Box box = boxes.get(pick(random, weights));
            if (box == null || box.y() > deepest) continue;
            Instant at = t.plusSeconds(20 + c);
            int x = box.x() + (int) (box.width() * (0.2 + 0.6 * random.nextDouble()));
            int y = box.y() + (int) (box.height() * (0.2 + 0.6 * random.nextDouble()));
            boolean dead = box.selector().equals("#hero-img") || box.selector().startsWith("#feature");
            if (dead && random.nextInt(6) == 0) {
                visit.rageClick(at, x, y, box.selector());
            } else if (dead) {
                visit.deadClick(at, x, y, random.nextBoolean() ? box.selector() : null);
            } else {
                visit.click(at, x, y, random.nextBoolean() ? box.selector() : null);
            }
        }
        visit.send();
    }

    private static String pick(Random random, Map<String, Integer> weights) {
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        int r = random.nextInt(total);
        for (Map.Entry<String, Integer> e : weights.entrySet()) {
            r -= e.getValue();
            if (r < 0) return e.getKey();
        }
        throw new IllegalStateException();
    }

    static String view(String query) {
        return server.viewUrl(site, PAGE, query);
    }

    static void save(String name) {
        browser.async("""
                const done = arguments[arguments.length - 1];
                const visible = [...document.images].filter((i) => {
                  const r = i.getBoundingClientRect();
                  return r.bottom > 0 && r.top < innerHeight;
                });
                Promise.all(visible.map((i) => i.decode().catch(() => null))).then(() => done());""");
        try {
            Files.write(out.resolve(name), browser.driver().getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void click_map() {
        browser.open(view("&dead=1&rage=1"));
        Traffic.Box cta = boxes.get("#hero-cta");
        browser.hover(0, cta.x() + cta.width() / 2, cta.y() + cta.height() / 2);
        save("viewer-click.png");
    }

    @Test
    void scroll_map() {
        browser.open(view("&map=scroll"));
        browser.hover(0, 900, 620);
        save("viewer-scroll.png");
    }

    /** Two campaign landing pages, copies of the home page, pooled as one group on the spring page's screenshot. */
    @Test
    void page_group() {
        Traffic traffic = server.traffic();
        long spring = traffic.page(site, "https://fernway.example/lp/spring");
        long autumn = traffic.page(site, "https://fernway.example/lp/autumn");
        traffic.capture(site, spring, "desktop", 1440, landingHeight, TILE, landingTiles, List.copyOf(boxes.values()));
        Random random = new Random(7);
        Map<String, Integer> weights = new TreeMap<>(Map.of("#hero-cta", 30, "#hero-demo", 10, "#nav-pricing", 8,
                "#plan-team-cta", 9, "#footer-cta", 5)); // sorted, so the same seed makes the same picture
        for (int i = 0; i < 160; i++) visit(traffic, spring, landingHeight, random, weights, 0, 29);
        for (int i = 0; i < 240; i++) visit(traffic, autumn, landingHeight, random, weights, 0, 29);
        traffic.aggregate();
        long group = server.postJson("/api/sites/" + site.publicKey() + "/groups", """
                {"name": "Campaign pages", "pattern": "/lp/:campaign", "screenshotPage": "https://fernway.example/lp/spring"}""")
                .json().get("id").asLong();
        browser.open(server.url() + "/view?site=" + site.publicKey() + "&group=" + group);
        Traffic.Box cta = boxes.get("#hero-cta");
        browser.hover(0, cta.x() + cta.width() / 2, cta.y() + cta.height() / 2);
        save("viewer-group.png");
    }

    @Test
    void segments_compared() {
        browser.open(server.viewUrl(site, AB_PAGE, "&variant=A&cmp=segment&cseg=variant:B&cmode=diff&palette=inferno"));
        browser.waitForText(".frame-head", "Variant B");
        Traffic.Box cta = boxes.get("#hero-cta");
        browser.hover(0, cta.x() + cta.width() / 2, cta.y() + cta.height() / 2);
        save("viewer-segments.png");
    }

    @Test
    void compare_map() {
        browser.open(view("&cmp=range&cmode=diff&palette=inferno"));
        Traffic.Box demo = boxes.get("#hero-demo");
        browser.hover(0, demo.x() + demo.width() / 2, demo.y() + demo.height() / 2);
        save("viewer-compare.png");
    }
}
