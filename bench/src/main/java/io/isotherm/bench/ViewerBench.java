package io.isotherm.bench;

import io.isotherm.aggregator.Aggregator;
import io.isotherm.aggregator.AggregatorSettings;
import io.isotherm.capture.CaptureImage;
import io.isotherm.capture.CaptureResults;
import io.isotherm.grid.BlockMarks;
import io.isotherm.grid.BlockRefresh;
import io.isotherm.grid.GridGeometry;
import io.isotherm.dashboard.Dashboard;
import io.isotherm.dashboard.DashboardSettings;
import io.isotherm.dashboard.access.AccessMode;
import io.isotherm.db.Database;
import io.isotherm.db.EmbeddedDatabase;
import io.isotherm.db.page.PageDao;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import io.isotherm.testing.TestServer;
import io.isotherm.testing.ViewerTestHooks;
import io.javalin.Javalin;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The viewer in a real headless Chromium on a busy page: time to the first heatmap of the default 30-day view (page
 * load to heatmap painted), with the stored view and with the view computed on request, and the redraw time of a
 * palette change and of a zoom change. The page: 1440 × 10,000 px, 30 days of click and move grids with most cells
 * non-zero, an uploaded screenshot. Data goes straight into the count rows (not timed).
 *
 * <p>Then the heatmap's forms side by side in the same browser: the JSON, {@code heatmap.bin} and
 * {@code heatmap.packed}, their bytes as sent and on the wire (Chromium asks for gzip as browsers do) and the time from
 * request to typed arrays. A form the server does not answer (an older build run with this class first on the class
 * path) is left out. With {@code --network}, the first heatmap and the forms again over an emulated slower link.
 */
public final class ViewerBench {
    private static final String USAGE = """
            ViewerBench [--loads 7] [--redraws 20] [--height 10000] [--cells-per-day 60000] [--network MBIT:RTT_MS]
              --loads          page loads per case, and fetches per heatmap form (median reported)
              --redraws        palette changes and zoom changes (median reported)
              --height         page height in px
              --cells-per-day  non-zero grid cells per day and kind (180 × 1250 = 225,000 cells at 10,000 px)
              --network        also measure over a link of this throughput (Mbit/s) and round trip (ms), e.g. 20:40""";

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, USAGE, Set.of("loads", "redraws", "height", "cells-per-day", "network"));
        int loads = args.integer("loads", 7);
        int redraws = args.integer("redraws", 20);
        int height = args.integer("height", 10_000);
        int cellsPerDay = args.integer("cells-per-day", 60_000);
        String network = args.text("network", "");

        try (ScratchDirectory dir = new ScratchDirectory("isotherm-viewer-bench"); // closed last: after PostgreSQL stopped
             EmbeddedDatabase postgres = EmbeddedDatabase.startOrAttach(dir.path);
             Database db = Database.open(postgres.settings(6), null)) {
            GridGeometry grid = GridGeometry.defaults();
            Site site = new SiteDao(db.jdbi()).add("Bench", List.of("https://bench.example"), List.of());
            String url = "https://bench.example/landing";
            long page = new PageDao(db.jdbi()).idFor(site.id(), url);
            long cells = generate(db, site.id(), page, height, cellsPerDay);
            upload(db, site.id(), page, url, height);
            System.out.printf(Locale.ROOT, "generated %,d count rows (30 days, click and move, in bands), page 1440 x %d px%n", cells, height);

            Dashboard dashboard = new Dashboard(db.jdbi(), grid, DashboardSettings.defaults().withCaptureWorker(false, false)
                    .withAccess(AccessMode.LOCAL)); // the bench measures drawing, not signing in
            Javalin server = TestServer.start("127.0.0.1", dashboard::routes);
            try (HeadlessChromium chromium = new HeadlessChromium("/usr/bin/chromium", "/usr/bin/chromedriver", 1600, 1000)) {
                ChromeDriver browser = chromium.driver;
                // With the viewer's test flag, window.isothermViewer reports when a view is drawn and how long fetching
                // and drawing took.
                ViewerTestHooks.enable(browser);
                String view = "http://127.0.0.1:" + server.port() + "/view?site=" + site.publicKey() + "&page="
                        + URLEncoder.encode(url, StandardCharsets.UTF_8);
                firstHeatmap(browser, view, 2, "warm-up", () -> { });
                // Without a stored view, each load computes the 30-day heatmap (sum, smooth) on request.
                firstHeatmap(browser, view, loads, "computed", () -> db.jdbi().useHandle(h -> h.execute("DELETE FROM heatmap_view")));
                // The aggregator's refresh stores it: the usual case for the default view.
                db.jdbi().useHandle(h -> h.execute(
                        "INSERT INTO heatmap_dirty SELECT site_id, page_id, device, kind FROM page_day CROSS JOIN (VALUES ('click'::event_kind), ('move')) k(kind) ON CONFLICT DO NOTHING"));
                int refreshed = new Aggregator(db.jdbi(), AggregatorSettings.defaults()).aggregatePending().viewsRefreshed();
                System.out.println("stored views refreshed: " + refreshed);
                firstHeatmap(browser, view, loads, "stored", () -> { });
                String viewersRequest = HeatmapForms.viewersRequest(browser);
                paletteRedraws(browser, redraws);
                zoomRedraws(browser, redraws);
                HeatmapForms.measure(browser, viewersRequest, loads, "stored");
                HeatmapForms.measure(browser, HeatmapForms.withSigma(viewersRequest, 16), loads, "sigma16");
                if (!network.isEmpty()) {
                    String link = HeatmapForms.emulate(browser, network);
                    firstHeatmap(browser, view, loads, "stored " + link, () -> { });
                    HeatmapForms.measure(browser, viewersRequest, loads, "stored " + link);
                }
            } finally {
                server.stop();
                dashboard.close();
            }
        }
    }

    /** Loads the viewer {@code loads} times; prints the medians of page load → heatmap painted, fetch and draw. */
    private static void firstHeatmap(ChromeDriver browser, String view, int loads, String label, Runnable before) {
        List<Double> total = new ArrayList<>(), fetch = new ArrayList<>(), draw = new ArrayList<>();
        for (int i = 0; i < loads; i++) {
            before.run();
            browser.get("about:blank");
            browser.get(view);
            @SuppressWarnings("unchecked")
            Map<String, Object> t = (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const wait = () => window.isothermViewer ? window.isothermViewer.ready
                        .then(() => window.isothermViewer.settled())
                        .then(() => done({total: performance.now(), fetch: window.isothermViewer.lastDraw.fetchMs,
                                          draw: window.isothermViewer.lastDraw.drawMs, tiles: window.isothermViewer.lastDraw.tiles}))
                        : setTimeout(wait, 5);
                    wait();""");
            total.add(number(t.get("total")));
            fetch.add(number(t.get("fetch")));
            draw.add(number(t.get("draw")));
        }
        System.out.printf(Locale.ROOT, "RESULT_VIEWER_FIRST case=%s loads=%d first_heatmap_ms=%.1f fetch_ms=%.1f draw_ms=%.1f min_first_ms=%.1f max_first_ms=%.1f%n",
                label, loads, median(total), median(fetch), median(draw), Collections.min(total), Collections.max(total));
    }

    /** Switches the palette {@code redraws} times through the control; prints the median redraw time per switch. */
    private static void paletteRedraws(ChromeDriver browser, int redraws) {
        List<Double> draw = new ArrayList<>(), total = new ArrayList<>();
        long requestsBefore = resources(browser);
        String[] palettes = {"inferno", "magma", "ylorrd", "blues", "heat", "viridis"};
        for (int i = 0; i < redraws; i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> t = (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const select = document.getElementById('palette-select');
                    const wanted = [...select.options].map((o) => o.value).find((v) => v.toLowerCase() === arguments[0]);
                    const started = performance.now();
                    select.value = wanted;
                    select.dispatchEvent(new Event('change', {bubbles: true}));
                    window.isothermViewer.settled().then(() => done({draw: window.isothermViewer.lastDraw.drawMs,
                                                                     total: performance.now() - started}));""",
                    palettes[i % palettes.length]);
            draw.add(number(t.get("draw")));
            total.add(number(t.get("total")));
        }
        long requests = resources(browser) - requestsBefore;
        System.out.printf(Locale.ROOT, "RESULT_VIEWER_PALETTE redraws=%d draw_ms=%.2f to_next_frame_ms=%.1f max_draw_ms=%.2f requests=%d%n",
                redraws, median(draw), median(total), Collections.max(draw), requests);
    }

    /**
     * Steps the zoom {@code redraws} times through its control (fit, 50, 100, 200 %, in turn); prints the median
     * script time of the change (scaling the page, drawing the heat tiles that come near) and the time to the frame
     * after the tiles were drawn.
     */
    private static void zoomRedraws(ChromeDriver browser, int redraws) {
        List<Double> script = new ArrayList<>(), total = new ArrayList<>();
        long requestsBefore = resources(browser);
        String[] zooms = {"50", "100", "200", "fit"};
        for (int i = 0; i < redraws; i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> t = (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const select = document.getElementById('zoom-select');
                    const frames = window.isothermViewer.frames();
                    let script = 0;
                    // The heat tiles that come near are drawn in the next animation frame (frame.js scheduleDraw),
                    // which reports its time through onDraw.
                    for (const f of frames) f.onDraw = (ms) => { script += ms; };
                    const started = performance.now();
                    select.value = arguments[0];
                    select.dispatchEvent(new Event('change', {bubbles: true}));
                    script += performance.now() - started;
                    requestAnimationFrame(() => requestAnimationFrame(() => {
                      for (const f of frames) f.onDraw = null;
                      done({script, total: performance.now() - started});
                    }));""", zooms[i % zooms.length]);
            script.add(number(t.get("script")));
            total.add(number(t.get("total")));
        }
        long requests = resources(browser) - requestsBefore;
        System.out.printf(Locale.ROOT, "RESULT_VIEWER_ZOOM changes=%d script_ms=%.2f to_drawn_frame_ms=%.1f max_script_ms=%.2f requests=%d%n",
                redraws, median(script), median(total), Collections.max(script), requests);
    }

    private static long resources(ChromeDriver browser) {
        return ((Number) ((JavascriptExecutor) browser).executeScript("return performance.getEntriesByType('resource').length")).longValue();
    }

    /**
     * 30 days up to today of click and move grids: each day {@code cellsPerDay} distinct cells per kind, half around
     * 40 hot spots, half spread over the page; page views and the page's height in page_day. Written as the count rows
     * the aggregator appends (V20: one heat_tile part per day, kind and band of 64 cell rows, packed as PackedCounts
     * does), marked through grid's BlockMarks and refreshed by its BlockRefresh, as an aggregation leaves them. Raw
     * events through the real aggregator would be the truer path, but at this size (about 16 million events at the
     * defaults) generating them would take longer than the benchmark.
     */
    private static long generate(Database db, int siteId, long pageId, int height, int cellsPerDay) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        int rows = height / 8;
        long tiles = db.jdbi().withHandle(h -> {
            h.createUpdate("""
                            INSERT INTO page_day (site_id, page_id, device, day, pageviews, clicks, moves, document_height, document_width)
                            SELECT :site, :page, 'desktop', :today - d, 2000, 6000, 40000, :height, 1440 FROM generate_series(0, 29) d""")
                    .bind("site", siteId).bind("page", pageId).bind("today", today).bind("height", height).execute();
            return (long) h.createUpdate("""
                            INSERT INTO heat_tile (site_id, page_id, device, kind, span, first_day, band, cell_size, cells)
                            SELECT :site, :page, 'desktop', kind::event_kind, 0, :today - d, cy / 64, 8,
                                   string_agg(int4send(cy * 16384 + cx) || int4send(events), ''::bytea ORDER BY cy, cx)
                            FROM (SELECT d, k.kind, c.cx, c.cy, min(1 + (hashint4(i) & 7)) AS events
                                  FROM generate_series(0, 29) d
                                  CROSS JOIN (VALUES ('click'), ('move')) k(kind)
                                  CROSS JOIN generate_series(0, :cells - 1) i
                                  CROSS JOIN LATERAL (SELECT (hashint4(i + d * 7919) & 2147483647) % 40 AS spot) s
                                  CROSS JOIN LATERAL (SELECT
                                      CASE WHEN i % 2 = 0 THEN least(179, greatest(0, (hashint4(spot * 3 + 1) & 2147483647) % 180 + (hashint4(i * 31 + d) & 2147483647) % 21 - 10))
                                           ELSE (hashint4(i * 17 + d) & 2147483647) % 180 END AS cx,
                                      CASE WHEN i % 2 = 0 THEN least(:rows - 1, greatest(0, (hashint4(spot * 3 + 2) & 2147483647) % :rows + (hashint4(i * 37 + d) & 2147483647) % 21 - 10))
                                           ELSE (hashint4(i * 13 + d * 5) & 2147483647) % :rows END AS cy) c
                                  GROUP BY 1, 2, 3, 4) cells
                            GROUP BY kind, d, cy / 64""")
                    .bind("site", siteId).bind("page", pageId).bind("today", today).bind("cells", cellsPerDay).bind("rows", rows)
                    .execute();
        });
        List<BlockMarks.Day> days = new ArrayList<>();
        for (int d = 0; d < 30; d++) {
            for (String kind : List.of("click", "move")) days.add(new BlockMarks.Day(siteId, pageId, "desktop", kind, today.minusDays(d), 0));
        }
        db.jdbi().useTransaction(h -> BlockMarks.mark(h, days));
        new BlockRefresh(db.jdbi()).refresh();
        return tiles;
    }

    /** A plausible page screenshot (header, sections, buttons) as the page's current capture. */
    private static void upload(Database db, int siteId, long pageId, String url, int height) throws Exception {
        BufferedImage image = new BufferedImage(1440, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 1440, height);
        g.setColor(new Color(0x1f2937));
        g.fillRect(0, 0, 1440, 72);
        for (int y = 160, s = 0; y < height - 400; y += 700, s++) {
            g.setColor(s % 2 == 0 ? new Color(0xf3f4f6) : new Color(0xe5e7eb));
            g.fillRect(120, y, 1200, 560);
            g.setColor(new Color(0x2563eb));
            g.fillRect(220, y + 420, 240, 56);
        }
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        new CaptureResults(db.jdbi()).upload(siteId, pageId, "desktop", url, new CaptureImage("image/png", png.toByteArray()), 1440, height);
    }

    private static double number(Object value) {
        return ((Number) value).doubleValue();
    }

    private static double median(List<Double> values) {
        return TrackerCostReport.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
