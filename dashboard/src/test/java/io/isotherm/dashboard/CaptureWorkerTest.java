package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.capture.CaptureSettings;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Captures shot by the dashboard's worker in a real headless Chromium, from a fixture site on this machine (private
 * addresses allowed, as an operator would for an intranet), through the API, into the heatmaps.
 */
class CaptureWorkerTest {
    private static final Map<String, Integer> WIDTHS = Map.of("desktop", 1440, "tablet", 820, "mobile", 390);
    private static final int HEIGHT = 2920; // the fixture's document: 80 + 40 + 2800 px

    private static Javalin fixture;
    private static DashboardServer server;
    private static Site site;
    private static String origin;

    @BeforeAll
    static void start() {
        fixture = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get("/landing", ctx -> ctx.html(resource("landing.html")));
            config.routes.get("/members", ctx -> ctx.html(resource("members.html")));
            config.routes.get("/gone", ctx -> ctx.status(404).html("<!doctype html><title>Not here</title><h1>Gone</h1>"));
        }).start("127.0.0.1", 0);
        origin = "http://127.0.0.1:" + fixture.port();
        // Visits to /landing are counted before the dashboard starts: its worker captures the page on its first scan.
        // One page view is enough here (this test is about the capture itself; AutoCaptureTest holds the threshold).
        server = DashboardServer.start(DashboardSettings.defaults().withCapture(CaptureSettings.defaults().withAllowPrivateAddresses(true)
                        .withAutoCaptureLimits(1, CaptureSettings.DEFAULT_AUTO_PER_SITE_PER_HOUR)),
                db -> {
                    Traffic traffic = new Traffic(db, DashboardServer.TODAY);
                    site = new SiteDao(db.jdbi()).add("Fixture", List.of(origin), List.of());
                    long page = traffic.page(site, origin + "/landing");
                    Instant at = DashboardServer.TODAY.atTime(10, 0).toInstant(ZoneOffset.UTC);
                    // A visitor at 1905 px clicks the button's right half: the capture's box decides where that is drawn.
                    traffic.visit(site, page, "desktop", 1905, 1000, HEIGHT).click(at, 9999, 9999, "#buy").send();
                    traffic.aggregate();
                });
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (fixture != null) fixture.stop();
    }

    @Test
    void captures_a_page_at_the_three_layout_widths_with_its_element_boxes() throws Exception {
        JsonNode queued = server.postJson("/api/sites/" + site.publicKey() + "/captures",
                "{\"url\": \"" + origin + "/landing\", \"requestedBy\": \"viewer\"}").json().get("captures");
        assertThat(queued).hasSize(3);
        for (JsonNode q : queued) {
            JsonNode c = awaitDone(q.get("id").asLong());
            String device = c.get("device").asText();
            int width = WIDTHS.get(device);
            assertThat(c.get("status").asText()).as(c.toString()).isEqualTo("ok");
            assertThat(c.get("current").asBoolean()).isTrue();
            assertThat(c.get("httpStatus").asInt()).isEqualTo(200);
            assertThat(c.get("width").asInt()).isEqualTo(width);
            assertThat(c.get("height").asInt()).isEqualTo(HEIGHT);

            // The tiles stack up to the whole page, each exactly as wide as the layout.
            int y = 0;
            for (JsonNode tile : c.get("tiles")) {
                assertThat(tile.get("y").asInt()).isEqualTo(y);
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(server.getBytes(tile.get("url").asText()).body()));
                assertThat(image.getWidth()).isEqualTo(width);
                assertThat(image.getHeight()).isEqualTo(tile.get("height").asInt());
                y += image.getHeight();
            }
            assertThat(y).isEqualTo(HEIGHT);

            Map<String, JsonNode> boxes = boxes(c.get("id").asLong());
            assertThat(box(boxes.get("#buy"))).isEqualTo(List.of(100, 1500, 200, 50));
            int headline = Math.min(width, 1000);
            assertThat(box(boxes.get("#headline"))).as(device).isEqualTo(List.of((width - headline) / 2, 80, headline, 40));
            assertThat(box(boxes.get("#top"))).isEqualTo(List.of(0, 0, width, 60));
            assertThat(c.get("elementCount").asInt()).isEqualTo(boxes.size()).isGreaterThanOrEqualTo(6);

            // The page's layout for that device class is now this capture's boxes: reports and heatmaps use them.
            JsonNode elements = server.get(site.publicKey(), "elements", "page", origin + "/landing", "device", device).json();
            if (device.equals("desktop")) {
                assertThat(elements.get("elements").get(0).get("box").toString()).isEqualTo("{\"x\":100,\"y\":1500,\"width\":200,\"height\":50}");
            }
            int layout = server.db().jdbi().withHandle(h -> h.createQuery(
                            "SELECT count(*) FROM layout_element WHERE site_id = :s AND device = :d::device_class AND selector = '#buy'")
                    .bind("s", site.id()).bind("d", device).mapTo(Integer.class).one());
            assertThat(layout).isEqualTo(1);
        }
    }

    @Test
    void a_click_from_another_screen_width_is_drawn_on_the_captured_button() {
        awaitAutomaticCapture();
        JsonNode map = server.get(site.publicKey(), "heatmap", "page", origin + "/landing", "raw", "true").json();
        int columns = map.get("columns").asInt(), cell = map.get("cellSize").asInt();
        JsonNode counts = map.get("counts");
        int hot = -1;
        for (int i = 0; i < counts.size(); i++) if (counts.get(i).asInt() > 0) hot = i;
        assertThat(map.get("total").asInt()).isEqualTo(1);
        int x = (hot % columns) * cell, y = (hot / columns) * cell;
        // The in-box bin of the click (the fixture marks it at the box's centre) lies on the button: 100..300, 1500..1550.
        assertThat(x).isBetween(100, 300);
        assertThat(y).isBetween(1500, 1550);
    }

    @Test
    void pages_with_their_first_events_are_captured_automatically() {
        JsonNode automatic = awaitAutomaticCapture();
        assertThat(automatic.get("status").asText()).as(automatic.toString()).isEqualTo("ok");
        assertThat(automatic.get("url").asText()).isEqualTo(origin + "/landing");
        // Only the device class with events: no tablet or mobile visits were counted.
        JsonNode all = server.get(site.publicKey(), "captures", "page", origin + "/landing").json().get("captures");
        all.forEach(c -> {
            if (c.get("requestedBy").asText().equals("first-events")) assertThat(c.get("device").asText()).isEqualTo("desktop");
        });
    }

    @Test
    void an_error_page_and_a_login_wall_are_flagged_and_never_become_the_background() {
        JsonNode gone = awaitDone(queue("/gone", "desktop"));
        assertThat(gone.get("status").asText()).as(gone.toString()).isEqualTo("flagged");
        assertThat(gone.get("flag").asText()).isEqualTo("http_error");
        assertThat(gone.get("httpStatus").asInt()).isEqualTo(404);
        assertThat(gone.get("message").asText()).contains("404");
        assertThat(gone.get("current").asBoolean()).isFalse();

        JsonNode wall = awaitDone(queue("/members", "mobile"));
        assertThat(wall.get("status").asText()).as(wall.toString()).isEqualTo("flagged");
        assertThat(wall.get("flag").asText()).isEqualTo("login_wall");
        assertThat(wall.get("current").asBoolean()).isFalse();
        assertThat(wall.get("tiles")).isNotEmpty(); // kept for the history, so a user can look and accept it
    }

    @Test
    void a_page_off_the_sites_origins_is_never_loaded() {
        JsonNode refused = server.postJson("/api/sites/" + site.publicKey() + "/captures", "{\"url\": \"http://localhost:" + fixture.port() + "/landing\"}").json();
        assertThat(refused.get("field").asText()).isEqualTo("url");
    }

    private static long queue(String path, String device) {
        var response = server.postJson("/api/sites/" + site.publicKey() + "/captures",
                "{\"url\": \"" + origin + path + "\", \"devices\": [\"" + device + "\"]}");
        assertThat(response.status()).as(response.json().toString()).isEqualTo(202);
        return response.json().get("captures").get(0).get("id").asLong();
    }

    private static JsonNode awaitAutomaticCapture() {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (JsonNode c : server.get(site.publicKey(), "captures", "page", origin + "/landing", "device", "desktop").json().get("captures")) {
                if (c.get("requestedBy").asText().equals("first-events")) return awaitDone(c.get("id").asLong());
            }
            sleep();
        }
        throw new AssertionError("no automatic capture was queued");
    }

    /** Polls the capture until the worker is done with it (a bound, not a timing: the assertion is on the result). */
    private static JsonNode awaitDone(long id) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            JsonNode c = server.get("/api/sites/" + site.publicKey() + "/captures/" + id).json();
            String status = c.get("status").asText();
            if (!status.equals("queued") && !status.equals("running")) return c;
            if (System.nanoTime() > deadline) throw new AssertionError("capture " + id + " still " + status);
            sleep();
        }
    }

    private static Map<String, JsonNode> boxes(long id) {
        JsonNode elements = server.get("/api/sites/" + site.publicKey() + "/captures/" + id + "/elements").json().get("elements");
        Map<String, JsonNode> boxes = new java.util.HashMap<>();
        elements.forEach(e -> boxes.put(e.get("selector").asText(), e));
        return boxes;
    }

    private static List<Integer> box(JsonNode e) {
        assertThat(e).as("element box").isNotNull();
        return List.of(e.get("x").asInt(), e.get("y").asInt(), e.get("width").asInt(), e.get("height").asInt());
    }

    private static String resource(String name) {
        try (InputStream in = CaptureWorkerTest.class.getResourceAsStream("/capture-api/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
