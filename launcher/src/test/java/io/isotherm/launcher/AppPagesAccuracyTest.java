package io.isotherm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.db.device.DeviceClass;
import io.isotherm.launcher.AppVisitor.Screen;
import io.isotherm.launcher.ClickLedger.Click;
import io.isotherm.launcher.ClickLedger.Sight;
import io.isotherm.launcher.ClickLedger.View;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * Accuracy on app-like pages, end to end: the whole platform (every role, the accounts mode, the embedded PostgreSQL),
 * a website of six app-like pages ({@link AppPagesSite}: a container app with "Load more" and a fixed back-to-top
 * button, a sticky bar below the first screen, an off-canvas drawer, a web component, a same-origin frame, a 600 x 400
 * card), visited by the real tracker in a real Chromium at 1280, 1440 and 1920 px and on a 2x phone
 * ({@link AppPagesTour}), captured by the platform's own capture, aggregated by its aggregator, and read back through
 * the read API by a viewer of the site. Every number asserted comes from what the visitors did ({@link ClickLedger}).
 */
class AppPagesAccuracyTest {
    private static final List<Screen> SCREENS = List.of(
            new Screen("1280 px", 1280, 720, 1, false),
            new Screen("1440 px", 1440, 900, 1, false),
            new Screen("1920 px", 1920, 1080, 1, false),
            new Screen("2x phone", 375, 667, 2, true));
    /** A small σ: spots of clicks apart from each other stay apart, and a spot's centre of mass is where it is drawn. */
    private static final double SIGMA = 4;
    private static final String[] PAGES = {"/app", "/sticky", "/drawer", "/component", "/frame"};

    @TempDir
    static Path temp;

    private static Platform platform;
    private static AppPagesSite site;
    private static AppVisitor visitor;
    private static Team team;
    private static Team.Member viewer;
    private static String key;
    private static final ClickLedger ledger = new ClickLedger();
    private static final Map<String, Integer> layoutWidths = new HashMap<>();
    private static final Map<String, JsonNode> answers = new HashMap<>();
    private static long started;

    @BeforeAll
    static void visitCaptureAndAggregate() throws Exception {
        started = System.nanoTime();
        Path dataDir = temp.resolve("data");
        platform = Platform.start(Settings.fromEnvironment(Map.of(
                "ISOTHERM_DATA_DIR", dataDir.toString(),
                "ISOTHERM_PORT", "0",
                "ISOTHERM_BIND_ADDRESS", "127.0.0.1",
                "ISOTHERM_ROLES", "all",
                "ISOTHERM_CAPTURE_WORKER", "false", // captured below, each page once per device class
                "ISOTHERM_AGGREGATE_INTERVAL_SECONDS", "3600"))); // aggregated below, once every visit is in
        team = new Team(platform.port());
        Team.Member admin = team.setUpAdministrator("ana@apps.example");
        site = new AppPagesSite();
        var created = team.send(admin, "POST", "/api/sites", "{\"name\":\"Apps\",\"origins\":[\"" + site.origin()
                + "\"],\"keepQuery\":[\"w\"],\"timeZone\":\"UTC\"}");
        assertThat(created.status()).as("adding the site: " + created.body()).isEqualTo(201);
        key = created.json().get("key").asText();
        viewer = team.invite(admin, key, "vic@apps.example", "viewer");
        site.paste(team.send(admin, "GET", "/api/sites/" + key + "/install", null).json().get("snippet").asText());
        for (JsonNode d : team.send(viewer, "GET", "/api/platform", null).json().get("devices")) {
            layoutWidths.put(d.get("name").asText(), d.get("layoutWidth").asInt());
        }
        step("platform up, site " + key + " with its tag, a viewer signed in");

        // The platform's capture shoots the pages while the visitors click: it needs no visit (and sees none).
        ExecutorService captures = Executors.newFixedThreadPool(2);
        Map<String, Future<Cli.Result>> shots = new LinkedHashMap<>();
        for (String page : PAGES) shots.put(page, captures.submit(() -> capture(dataDir, site.url(page), "desktop,mobile")));
        for (Screen s : SCREENS) shots.put(AppPagesTour.cardPage(site, s), captures.submit(() -> capture(dataDir, AppPagesTour.cardPage(site, s), s.device())));
        captures.shutdown();

        try {
            visitor = new AppVisitor(temp.resolve("profile"));
            AppPagesTour tour = new AppPagesTour(visitor, site, ledger);
            for (Screen s : SCREENS) {
                tour.visitAll(s);
                step("visited every page on the " + s.name() + " screen");
            }
            for (var shot : shots.entrySet()) {
                Cli.Result result = shot.getValue().get();
                assertThat(result.exitCode()).as("capture of " + shot.getKey() + ": " + result.out() + result.err()).isZero();
            }
        } finally {
            captures.shutdownNow();
        }
        step("captured the " + PAGES.length + " pages on desktop and mobile, and the card's page of each screen");

        long deadline = System.nanoTime() + 60_000_000_000L;
        long counted;
        do {
            Cli.Result aggregated = Cli.run(dataDir, "aggregate", "--once", "--json");
            assertThat(aggregated.exitCode()).as("aggregate --once: " + aggregated.err()).isZero();
            counted = 0;
            for (JsonNode p : fetch("/pages").get("pages")) counted += p.get("clicks").asLong();
            if (counted >= ledger.total()) break;
            AppVisitor.pause(500);
        } while (System.nanoTime() < deadline);
        step("aggregated " + counted + " clicks of " + ledger.total() + " made; the collector's last hour: "
                + team.send(viewer, "GET", "/api/sites/" + key + "/install", null).json().get("hour"));
    }

    private static Cli.Result capture(Path dataDir, String url, String devices) {
        return Cli.run(Map.of("ISOTHERM_CAPTURE_ALLOW_PRIVATE", "true"), dataDir,
                "capture", "--site", key, "--url", url, "--device", devices, "--json");
    }

    @AfterAll
    static void closeEverything() {
        for (AutoCloseable c : new AutoCloseable[] {visitor, site, platform}) {
            if (c == null) continue;
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("closing " + c.getClass().getSimpleName() + ": " + e);
            }
        }
        step("closed");
    }

    @Test
    void every_click_is_counted_on_its_element_and_dead_clicks_are_the_non_interactive_ones() {
        SoftAssertions softly = new SoftAssertions();
        Map<String, Long> clicksPerPage = new LinkedHashMap<>();
        for (View view : ledger.views().keySet()) {
            clicksPerPage.merge(view.page(), (long) ledger.clicks(view).size(), Long::sum);
            JsonNode elements = elements(view);
            Map<String, String> expected = new LinkedHashMap<>(), actual = new LinkedHashMap<>();
            ledger.perSelector(view).forEach((selector, n) -> expected.put(selector, n[0] + " clicks, " + n[1] + " dead"));
            for (JsonNode e : elements.get("elements")) {
                actual.put(e.get("selector").asText(), e.get("clicks").asLong() + " clicks, " + e.get("dead").asLong() + " dead");
            }
            softly.assertThat(actual).as("%s: the elements API's clicks and dead clicks per selector against the clicks made", view)
                    .containsExactlyInAnyOrderEntriesOf(expected);
            softly.assertThat(elements.get("clicks").asLong()).as("%s: the elements API's clicks on elements against the clicks made", view)
                    .isEqualTo(ledger.clicks(view).size());
            softly.assertThat(elements.get("pageClicks").asLong()).as("%s: the elements API's page clicks against the clicks made", view)
                    .isEqualTo(ledger.clicks(view).size());
        }
        Map<String, Long> counted = new LinkedHashMap<>();
        for (JsonNode p : read("/pages").get("pages")) {
            if (p.get("clicks").asLong() > 0 || clicksPerPage.containsKey(p.get("url").asText())) {
                counted.put(p.get("url").asText(), p.get("clicks").asLong());
            }
        }
        // The frame's own tag sends nothing: its clicks are the framing page's, once.
        softly.assertThat(counted).as("the pages API's clicks per page against the clicks made on each")
                .containsExactlyInAnyOrderEntriesOf(clicksPerPage);
        softly.assertAll();
    }

    @Test
    void clicks_on_elements_the_capture_shows_are_drawn_inside_their_boxes_there() {
        SoftAssertions softly = new SoftAssertions();
        for (View view : ledger.views().keySet()) {
            Map<String, JsonNode> boxes = boxes(view);
            HeatmapCells map = heatmap(view);
            long made = 0, inside = 0;
            List<String> misses = new ArrayList<>();
            for (var entry : ledger.perSelector(view).entrySet()) {
                String selector = entry.getKey();
                List<Click> clicks = ledger.clicks(view).stream().filter(c -> c.selector().equals(selector) && c.sight() == Sight.ON_CAPTURE).toList();
                if (clicks.isEmpty()) continue;
                made += clicks.size();
                JsonNode box = boxes.get(selector);
                softly.assertThat(box).as("%s: the box of %s, which the capture shows", view, selector).isNotNull();
                if (box == null) continue;
                long in = map.countInside(box.get("x").asInt(), box.get("y").asInt(), box.get("width").asInt(), box.get("height").asInt());
                inside += Math.min(in, clicks.size());
                if (in < clicks.size()) misses.add(selector + " " + box + ": " + in + " of " + clicks.size() + " drawn inside");
            }
            softly.assertThat((double) inside).as("%s: clicks drawn inside their element's box on the capture, of %d made on elements it shows (%s)",
                    view, made, misses).isGreaterThanOrEqualTo(0.99 * made);
        }
        softly.assertAll();
    }

    @Test
    void the_card_s_nine_clicks_are_drawn_within_2_px_of_their_true_points() {
        SoftAssertions softly = new SoftAssertions();
        for (Screen screen : SCREENS) {
            View view = new View(AppPagesTour.cardPage(site, screen), screen.device());
            JsonNode box = boxes(view).get("#card");
            assertThat(box).as("%s: the card's box on the capture", view).isNotNull();
            assertThat(ledger.clicks(view)).as("%s: the nine clicks made", view)
                    .hasSize(AppPagesTour.CARD_FRACTIONS.length * AppPagesTour.CARD_FRACTIONS.length);
            HeatmapCells map = heatmap(view);
            for (Click c : ledger.clicks(view)) {
                double x = box.get("x").asInt() + c.boxX() * box.get("width").asInt();
                double y = box.get("y").asInt() + c.boxY() * box.get("height").asInt();
                double[] drawn = map.centreOfSpot(x, y);
                softly.assertThat(Math.hypot(drawn[0] - x, drawn[1] - y))
                        .as("%s, in-box (%.3f, %.3f): drawn at (%.1f, %.1f), true point (%.1f, %.1f) on the card %s",
                                view, c.boxX(), c.boxY(), drawn[0], drawn[1], x, y, box)
                        .isLessThanOrEqualTo(2.0);
            }
        }
        softly.assertAll();
    }

    @Test
    void clicks_on_elements_the_capture_did_not_see_are_listed_without_a_box_and_not_drawn() {
        SoftAssertions softly = new SoftAssertions();
        for (View view : ledger.views().keySet()) {
            Map<String, JsonNode> listed = new HashMap<>();
            for (JsonNode e : elements(view).get("elements")) listed.put(e.get("selector").asText(), e);
            for (Click c : ledger.clicks(view)) {
                if (c.sight() == Sight.ON_CAPTURE) continue;
                JsonNode e = listed.get(c.selector());
                softly.assertThat(e).as("%s: %s in the elements API", view, c.selector()).isNotNull();
                if (e != null) {
                    softly.assertThat(e.get("box").isNull()).as("%s: %s has no box (\"not on the screenshot\"): %s", view, c.selector(), e.get("box"))
                            .isTrue();
                }
            }
            long notDrawn = ledger.count(view, Sight.NOT_ON_CAPTURE);
            JsonNode map = heatmapAnswer(view);
            softly.assertThat(map.has("notDrawn")).as("%s: the heatmap says how many clicks it does not draw (notDrawn)", view).isTrue();
            softly.assertThat(map.path("notDrawn").asLong(-1)).as("%s: notDrawn against the clicks made on elements no capture shows", view)
                    .isEqualTo(notDrawn);
            List<int[]> shown = boxes(view).values().stream()
                    .map(b -> new int[] {b.get("x").asInt(), b.get("y").asInt(), b.get("width").asInt(), b.get("height").asInt()}).toList();
            softly.assertThat(map.get("total").asLong()).as("%s: the heatmap's drawn clicks against those made on elements it can place;"
                            + " drawn outside every element's box on the capture: %s", view, HeatmapCells.of(map).drawnOutside(shown))
                    .isEqualTo(ledger.clicks(view).size() - notDrawn);
        }
        softly.assertAll();
    }

    @Test
    void the_fixed_back_to_top_button_is_drawn_where_it_stands_on_the_screenshot_s_first_screen() {
        SoftAssertions softly = new SoftAssertions();
        for (String device : List.of("desktop", "mobile")) {
            View view = new View(site.url("/app"), device);
            List<Click> clicks = ledger.clicks(view).stream().filter(c -> c.sight() == Sight.FIXED_OFF_CAPTURE).toList();
            assertThat(clicks).as("%s: clicks on the back-to-top button", view).isNotEmpty();
            int width = layoutWidths.get(device), height = DeviceClass.parse(device).screenshotViewportHeight();
            HeatmapCells map = heatmap(view);
            // The button's distances from the window's right and bottom edges, kept on the screenshot's first screen.
            Map<List<Integer>, Integer> perBox = new LinkedHashMap<>();
            for (Click c : clicks) {
                List<Integer> box = List.of((int) Math.round(width - c.right() - c.width()), (int) Math.round(height - c.bottom() - c.height()),
                        (int) Math.round(c.width()), (int) Math.round(c.height()));
                perBox.merge(box, 1, Integer::sum);
            }
            perBox.forEach((box, n) -> softly.assertThat(map.countInside(box.get(0), box.get(1), box.get(2), box.get(3)))
                    .as("%s: clicks drawn inside the back-to-top button's box %s (x, y, width, height) on the %d x %d px first screen, of %d made;"
                                    + " its box in the elements API: %s; drawn in its column from 200 px above to 200 px below it: %s",
                            view, box, width, height, n, boxes(view).get("#top"), map.drawnInside(box.get(0), box.get(1) - 200, box.get(2), box.get(3) + 400))
                    .isEqualTo((long) n));
        }
        softly.assertAll();
    }

    @Test
    void links_of_a_drawer_the_visitor_opened_are_drawn_where_they_stood_in_the_window_on_the_first_screen() {
        SoftAssertions softly = new SoftAssertions();
        for (String device : List.of("desktop", "mobile")) {
            View view = new View(site.url("/drawer"), device);
            List<Click> clicks = ledger.clicks(view).stream().filter(c -> c.sight() == Sight.OPENED_FIXED).toList();
            assertThat(clicks).as("%s: clicks on the open drawer's links", view).isNotEmpty();
            int width = layoutWidths.get(device);
            // High in the window: as far below the first screen's top as below the window's; x scaled from the window's
            // width to the layout's, as every fixed click's. Nothing else on the page is clicked where the drawer opens.
            List<int[]> boxes = clicks.stream().map(c -> {
                double scale = width / c.windowWidth();
                return new int[] {(int) Math.floor(c.left() * scale), (int) Math.floor(c.top()),
                        (int) Math.ceil(c.width() * scale), (int) Math.ceil(c.height())};
            }).toList();
            HeatmapCells map = heatmap(view);
            softly.assertThat(map.countInsideAny(boxes))
                    .as("%s: clicks drawn inside the boxes where the drawer's links stood in the windows, on the first screen, of %d made;"
                            + " the boxes (x, y, width, height): %s", view, clicks.size(),
                            boxes.stream().map(java.util.Arrays::toString).toList())
                    .isEqualTo((long) clicks.size());
        }
        softly.assertAll();
    }

    @Test
    void the_container_app_is_captured_whole_and_its_fold_is_the_container_s() {
        SoftAssertions softly = new SoftAssertions();
        for (String device : List.of("desktop", "mobile")) {
            View view = new View(site.url("/app"), device);
            JsonNode capture = read("/captures?page=" + encode(view.page()) + "&device=" + device).get("captures").get(0);
            softly.assertThat(capture.get("height").asInt())
                    .as("%s: the screenshot's height against the header, the whole list and the status bar as the visitor's browser laid them out", view)
                    .isCloseTo(ledger.unrolledHeight(view), offset(1));
            List<Integer> folds = ledger.folds(view);
            List<Integer> windows = SCREENS.stream().filter(s -> s.device().equals(device)).map(Screen::height).toList();
            softly.assertThat(medianBucket(folds)).as("%s: the fixture tells the container's fold %s from the window's %s", view, folds, windows)
                    .isNotEqualTo(medianBucket(windows));
            JsonNode scroll = read("/scroll?page=" + encode(view.page()) + "&device=" + device);
            softly.assertThat(scroll.get("fold").asInt()).as("%s: the scroll API's fold against the median of the containers' visible bottoms %s", view, folds)
                    .isEqualTo(medianBucket(folds));
        }
        softly.assertAll();
    }

    /** The fold as the scroll API defines it: the lower edge of the 50 px bucket where the running count reaches n / 2. */
    private static int medianBucket(List<Integer> heights) {
        List<Integer> buckets = heights.stream().map(h -> h / 50 * 50).sorted().toList();
        int seen = 0;
        for (int b : buckets) {
            if (++seen >= buckets.size() / 2.0) return b;
        }
        throw new IllegalArgumentException("no heights");
    }

    private static Map<String, JsonNode> boxes(View view) {
        Map<String, JsonNode> boxes = new HashMap<>();
        for (JsonNode e : elements(view).get("elements")) {
            if (!e.get("box").isNull()) boxes.put(e.get("selector").asText(), e.get("box"));
        }
        return boxes;
    }

    private static JsonNode elements(View view) {
        return read("/elements?page=" + encode(view.page()) + "&device=" + view.device());
    }

    private static HeatmapCells heatmap(View view) {
        return HeatmapCells.of(heatmapAnswer(view));
    }

    private static JsonNode heatmapAnswer(View view) {
        return read("/heatmap?page=" + encode(view.page()) + "&device=" + view.device() + "&kind=click&sigma=" + SIGMA + "&raw=true");
    }

    /** A read of the site's API by its viewer, once every click is counted (each answer is read once). */
    private static JsonNode read(String path) {
        return answers.computeIfAbsent(path, AppPagesAccuracyTest::fetch);
    }

    private static JsonNode fetch(String path) {
        var answer = team.send(viewer, "GET", "/api/sites/" + key + path, null);
        assertThat(answer.status()).as("GET " + path + ": " + answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void step(String what) {
        System.out.printf("[app pages %5.1f s] %s%n", (System.nanoTime() - started) / 1e9, what);
    }
}
