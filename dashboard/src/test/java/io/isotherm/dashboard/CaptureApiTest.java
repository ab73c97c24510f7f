package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.capture.CaptureQueue;
import io.isotherm.capture.CaptureResults;
import io.isotherm.capture.ElementBox;
import io.isotherm.capture.Flag;
import io.isotherm.capture.Shot;
import io.isotherm.capture.Tile;
import io.isotherm.dashboard.DashboardServer.Response;
import io.isotherm.dashboard.access.AccessSettings;
import io.isotherm.db.device.DeviceWidths;
import io.isotherm.db.site.Site;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The captures API over HTTP and its queue in PostgreSQL, without a browser (CaptureWorkerTest shoots real pages). */
class CaptureApiTest {
    private static DashboardServer server;
    private static Traffic traffic;
    private static CaptureQueue queue;
    private static CaptureResults results;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        traffic = server.traffic();
        queue = new CaptureQueue(server.db().jdbi());
        results = new CaptureResults(server.db().jdbi());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void queues_one_capture_per_device_and_lists_the_page_history_newest_first() {
        Site site = traffic.site("UTC");
        Response queued = server.postJson("/api/sites/" + site.publicKey() + "/captures",
                "{\"url\": \"https://shop.example/pricing?utm_source=x\", \"devices\": [\"desktop\", \"mobile\"], \"requestedBy\": \"viewer\"}");
        assertThat(queued.status()).isEqualTo(202);
        JsonNode captures = queued.json().get("captures");
        assertThat(captures).hasSize(2);
        assertThat(captures.get(0).get("device").asText()).isEqualTo("desktop");
        assertThat(captures.get(1).get("device").asText()).isEqualTo("mobile");
        for (JsonNode c : captures) {
            assertThat(c.get("status").asText()).isEqualTo("queued");
            assertThat(c.get("requestedBy").asText()).isEqualTo("viewer");
            assertThat(c.get("source").asText()).isEqualTo("browser");
            assertThat(c.get("url").asText()).isEqualTo("https://shop.example/pricing?utm_source=x");
            assertThat(c.get("current").asBoolean()).isFalse();
            assertThat(c.get("tiles")).isEmpty();
        }
        // The capture created the page (it had no events yet); the history is found by the page's URL in any form.
        Response history = server.get(site.publicKey(), "captures", "page", "https://SHOP.example/pricing/");
        assertThat(history.status()).isEqualTo(200);
        assertThat(ids(history.json().get("captures"))).containsExactly(captures.get(1).get("id").asLong(), captures.get(0).get("id").asLong());
        Response mobile = server.get(site.publicKey(), "captures", "page", "https://shop.example/pricing", "device", "mobile");
        assertThat(ids(mobile.json().get("captures"))).containsExactly(captures.get(1).get("id").asLong());

        Response one = server.get("/api/sites/" + site.publicKey() + "/captures/" + captures.get(0).get("id").asLong());
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("status").asText()).isEqualTo("queued");
    }

    @Test
    void all_three_devices_by_default() {
        Site site = traffic.site("UTC");
        Response queued = server.postJson("/api/sites/" + site.publicKey() + "/captures", "{\"url\": \"https://shop.example/\"}");
        assertThat(queued.status()).isEqualTo(202);
        assertThat(queued.json().get("captures").findValuesAsText("device")).containsExactly("desktop", "tablet", "mobile");
        assertThat(queued.json().get("captures").findValuesAsText("requestedBy")).containsOnly("api");
    }

    @Test
    void refuses_bad_capture_requests_naming_the_problem_and_creates_no_page() {
        Site site = traffic.site("UTC");
        String path = "/api/sites/" + site.publicKey() + "/captures";
        assertRefused(server.postJson(path, "not json"), 400, "body");
        assertRefused(server.postJson(path, "{}"), 400, "url");
        assertRefused(server.postJson(path, "{\"url\": \"/relative\"}"), 400, "url");
        Response offOrigin = server.postJson(path, "{\"url\": \"https://evil.example/\"}");
        assertRefused(offOrigin, 400, "url");
        assertThat(offOrigin.json().get("error").asText()).contains("https://shop.example");
        assertRefused(server.postJson(path, "{\"url\": \"https://shop.example/a\", \"devices\": [\"watch\"]}"), 400, "devices");
        assertRefused(server.postJson(path, "{\"url\": \"https://shop.example/a\", \"requestedBy\": \"cli\"}"), 400, "requestedBy");
        assertThat(server.postJson("/api/sites/nosuchsite/captures", "{\"url\": \"https://shop.example/\"}").status()).isEqualTo(404);
        int pages = server.db().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM page WHERE site_id = :s")
                .bind("s", site.id()).mapTo(Integer.class).one());
        assertThat(pages).isZero();
        assertThat(server.get(site.publicKey(), "captures", "page", "https://shop.example/never").status()).isEqualTo(404);
        assertThat(server.get("/api/sites/" + site.publicKey() + "/captures/999999").status()).isEqualTo(404);
        assertThat(server.get("/api/sites/" + site.publicKey() + "/captures/abc").status()).isEqualTo(404);
    }

    @Test
    void an_uploaded_png_becomes_the_current_background_at_layout_scale() throws Exception {
        Site site = traffic.site("UTC");
        traffic.page(site, "https://shop.example/account");
        byte[] png = png(2880, 4000, Color.ORANGE); // a retina screenshot of a 1440 px layout
        Response uploaded = server.post("/api/sites/" + site.publicKey() + "/captures/upload?page=" + q("https://shop.example/account")
                + "&device=desktop", "image/png", png);
        assertThat(uploaded.status()).as(uploaded.json().toString()).isEqualTo(201);
        JsonNode c = uploaded.json();
        assertThat(c.get("source").asText()).isEqualTo("upload");
        assertThat(c.get("status").asText()).isEqualTo("ok");
        assertThat(c.get("current").asBoolean()).isTrue();
        assertThat(c.get("width").asInt()).isEqualTo(1440);
        assertThat(c.get("height").asInt()).isEqualTo(2000);
        assertThat(c.get("tiles")).hasSize(1);
        assertThat(c.get("tiles").get(0).get("height").asInt()).isEqualTo(2000);

        var tile = server.getBytes(c.get("tiles").get(0).get("url").asText());
        assertThat(tile.statusCode()).isEqualTo(200);
        assertThat(tile.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(tile.headers().firstValue("Cache-Control").orElse("")).contains("immutable");
        assertThat(tile.body()).isEqualTo(png);
    }

    @Test
    void accepts_jpeg_and_webp_by_their_content() throws Exception {
        Site site = traffic.site("UTC");
        traffic.page(site, "https://shop.example/jpeg");
        String base = "/api/sites/" + site.publicKey() + "/captures/upload?page=" + q("https://shop.example/jpeg");
        Response jpeg = server.post(base + "&device=mobile", "image/jpeg", encode(image(390, 1200, Color.BLUE), "jpeg"));
        assertThat(jpeg.status()).as(jpeg.json().toString()).isEqualTo(201);
        assertThat(jpeg.json().get("width").asInt()).isEqualTo(390);
        assertThat(jpeg.json().get("height").asInt()).isEqualTo(1200);
        byte[] webp;
        try (InputStream in = getClass().getResourceAsStream("/upload/screenshot-400x300.webp")) {
            webp = in.readAllBytes();
        }
        Response webpUpload = server.post(base + "&device=tablet", "image/webp", webp);
        assertThat(webpUpload.status()).as(webpUpload.json().toString()).isEqualTo(201);
        assertThat(webpUpload.json().get("width").asInt()).isEqualTo(820);
        assertThat(webpUpload.json().get("height").asInt()).isEqualTo(615); // 300 × 820 / 400
        var tile = server.getBytes(webpUpload.json().get("tiles").get(0).get("url").asText());
        assertThat(tile.headers().firstValue("Content-Type")).hasValue("image/webp");
        // A PNG sent as image/jpeg is stored as what it is.
        Response labelledWrong = server.post(base + "&device=desktop", "image/jpeg", png(1440, 900, Color.RED));
        assertThat(labelledWrong.status()).isEqualTo(201);
        assertThat(server.getBytes(labelledWrong.json().get("tiles").get(0).get("url").asText()).headers().firstValue("Content-Type"))
                .hasValue("image/png");
    }

    @Test
    void refuses_uploads_that_are_not_whole_images_of_sensible_size() throws Exception {
        Site site = traffic.site("UTC");
        traffic.page(site, "https://shop.example/refused");
        String base = "/api/sites/" + site.publicKey() + "/captures/upload?page=" + q("https://shop.example/refused") + "&device=desktop";
        assertThat(server.post(base, "image/gif", new byte[]{'G', 'I', 'F'}).status()).isEqualTo(415);
        assertThat(server.post(base, "text/plain", "hello".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(415);
        Response text = server.post(base, "image/png", "not an image at all".getBytes(StandardCharsets.UTF_8));
        assertThat(text.status()).isEqualTo(400);
        assertThat(text.json().get("error").asText()).contains("PNG, JPEG or WebP");
        byte[] png = png(1440, 3000, Color.GREEN);
        Response truncated = server.post(base, "image/png", Arrays.copyOf(png, png.length / 2));
        assertThat(truncated.status()).isEqualTo(400);
        Response narrow = server.post(base, "image/png", png(100, 3000, Color.GREEN));
        assertThat(narrow.status()).isEqualTo(400);
        assertThat(narrow.json().get("error").asText()).contains("100 x 3000");
        assertThat(server.post("/api/sites/" + site.publicKey() + "/captures/upload?page=" + q("https://shop.example/none") + "&device=desktop",
                "image/png", png).status()).isEqualTo(404);
        assertThat(server.post(base.replace("device=desktop", "device=watch"), "image/png", png).status()).isEqualTo(400);
        // Nothing was stored by any of them.
        assertThat(server.get(site.publicKey(), "captures", "page", "https://shop.example/refused").json().get("captures")).isEmpty();
    }

    @Test
    void refuses_an_upload_over_the_size_limit_with_413() throws Exception {
        try (DashboardServer small = DashboardServer.start(new DashboardSettings(
                DashboardSettings.defaults().capture(), false, false, 50_000, AccessSettings.defaults(), DeviceWidths.DEFAULT, 30))) {
            Traffic t = small.traffic();
            Site site = t.site("UTC");
            t.page(site, "https://shop.example/big");
            byte[] noise = encode(noise(1440, 900), "png");
            assertThat(noise.length).isGreaterThan(50_000);
            Response big = small.post("/api/sites/" + site.publicKey() + "/captures/upload?page=" + q("https://shop.example/big")
                    + "&device=desktop", "image/png", noise);
            assertThat(big.status()).isEqualTo(413);
            assertThat(big.json().get("error").asText()).contains("ISOTHERM_UPLOAD_MAX_BYTES");
        }
    }

    @Test
    void a_flagged_capture_is_not_the_background_until_accepted_and_then_its_boxes_become_the_layout() {
        Site site = traffic.site("UTC");
        long page = traffic.page(site, "https://shop.example/members");
        CaptureQueue.Job clean = queue.begin(site.id(), page, "desktop", "https://shop.example/members", "api");
        results.finish(clean, shot(null, List.of(new ElementBox("#old", 10, 20, 30, 40))));
        CaptureQueue.Job wall = queue.begin(site.id(), page, "desktop", "https://shop.example/members", "api");
        results.finish(wall, shot(Flag.LOGIN_WALL, List.of(new ElementBox("#login", 100, 200, 300, 40, "Sign in"))));

        List<JsonNode> history = list(server.get(site.publicKey(), "captures", "page", "https://shop.example/members").json().get("captures"));
        assertThat(history).hasSize(2);
        JsonNode flagged = history.get(0);
        assertThat(flagged.get("status").asText()).isEqualTo("flagged");
        assertThat(flagged.get("flag").asText()).isEqualTo("login_wall");
        assertThat(flagged.get("message").asText()).isEqualTo("a login form");
        assertThat(flagged.get("current").asBoolean()).isFalse();
        assertThat(history.get(1).get("current").asBoolean()).isTrue();
        assertThat(layout(site, page)).containsExactly("#old");

        Response accepted = server.post("/api/sites/" + site.publicKey() + "/captures/" + wall.captureId() + "/accept", "application/json", new byte[0]);
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.json().get("accepted").asBoolean()).isTrue();
        assertThat(accepted.json().get("current").asBoolean()).isTrue();
        assertThat(layout(site, page)).containsExactly("#login");
        JsonNode elements = server.get("/api/sites/" + site.publicKey() + "/captures/" + wall.captureId() + "/elements").json().get("elements");
        assertThat(elements).hasSize(1);
        assertThat(elements.get(0).toString()).isEqualTo("{\"selector\":\"#login\",\"x\":100,\"y\":200,\"width\":300,\"height\":40,\"label\":\"Sign in\"}");
        // Only flagged captures can be accepted.
        assertThat(server.post("/api/sites/" + site.publicKey() + "/captures/" + clean.captureId() + "/accept", "application/json", new byte[0])
                .status()).isEqualTo(409);
    }

    @Test
    void a_failed_capture_keeps_its_reason_and_is_never_current() {
        Site site = traffic.site("UTC");
        long page = traffic.page(site, "https://shop.example/down");
        CaptureQueue.Job job = queue.begin(site.id(), page, "tablet", "https://shop.example/down", "api");
        results.fail(job, "Could not load https://shop.example/down: net::ERR_NAME_NOT_RESOLVED.");
        JsonNode c = server.get("/api/sites/" + site.publicKey() + "/captures/" + job.captureId()).json();
        assertThat(c.get("status").asText()).isEqualTo("failed");
        assertThat(c.get("message").asText()).contains("ERR_NAME_NOT_RESOLVED");
        assertThat(c.get("current").asBoolean()).isFalse();
    }

    @Test
    void concurrent_workers_claim_each_queued_capture_once_and_a_dead_workers_capture_is_claimed_again() throws Exception {
        try (DashboardServer own = DashboardServer.start()) {
            Traffic t = own.traffic();
            CaptureQueue queue = new CaptureQueue(own.db().jdbi());
            Site site = t.site("UTC");
            long page = t.page(site, "https://shop.example/q");
            Set<Long> queued = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 40; i++) queued.add(queue.queue(site.id(), page, "desktop", "https://shop.example/q", "api"));

            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<List<Long>>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                workers.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    Optional<CaptureQueue.Job> job;
                    while ((job = queue.claim(Duration.ofMinutes(5))).isPresent()) mine.add(job.get().captureId());
                    return mine;
                }));
            }
            List<Long> claimed = new ArrayList<>();
            for (var w : workers) claimed.addAll(w.get());
            pool.shutdown();
            assertThat(claimed).hasSize(40).doesNotHaveDuplicates();
            assertThat(Set.copyOf(claimed)).isEqualTo(queued);
            assertThat(queue.claim(Duration.ofMinutes(5))).isEmpty();

            // A worker that died leaves its capture running; after the stale time another takes it.
            own.db().jdbi().useHandle(h -> h.execute("UPDATE capture SET started_at = now() - interval '10 minutes' WHERE capture_id = ?", claimed.get(0)));
            assertThat(queue.claim(Duration.ofMinutes(5)).map(CaptureQueue.Job::captureId)).hasValue(claimed.get(0));
        }
    }

    @Test
    void pages_with_counted_events_and_no_capture_are_queued_once_per_device() {
        try (DashboardServer own = DashboardServer.start()) {
            Traffic t = own.traffic();
            CaptureQueue queue = new CaptureQueue(own.db().jdbi());
            Site site = t.site("UTC");
            long fresh = t.page(site, "https://shop.example/new");
            long captured = t.page(site, "https://shop.example/old");
            Instant at = DashboardServer.TODAY.atTime(10, 0).toInstant(java.time.ZoneOffset.UTC);
            t.visit(site, fresh).click(at, 100, 100, "#a").send();
            t.visit(site, fresh, "mobile", 390, 844, 3000).click(at, 10, 10, "#a").send();
            t.visit(site, captured).click(at, 100, 100, "#a").send();
            t.aggregate();
            queue.queue(site.id(), captured, "desktop", "https://shop.example/old", "api");

            // One page view is enough here; the page-view threshold and the hourly limit have tests of their own (AutoCaptureTest).
            assertThat(queue.queueFirstEvents(DashboardServer.TODAY.minusDays(7), 1, 60)).isEqualTo(2);
            assertThat(queue.queueFirstEvents(DashboardServer.TODAY.minusDays(7), 1, 60)).isZero();
            List<String> auto = own.db().jdbi().withHandle(h -> h.createQuery("""
                            SELECT page_id || ' ' || device || ' ' || url || ' ' || status FROM capture
                            WHERE requested_by = 'first-events' ORDER BY page_id, device""")
                    .mapTo(String.class).list());
            assertThat(auto).containsExactly(fresh + " desktop https://shop.example/new queued", fresh + " mobile https://shop.example/new queued");
            // Days before the scan's window are not looked at.
            assertThat(queue.queueFirstEvents(DashboardServer.TODAY.plusDays(1), 1, 60)).isZero();
        }
    }

    @Test
    void the_binary_heatmap_holds_the_same_numbers_as_the_json_one() {
        Site site = traffic.site("UTC");
        long page = traffic.page(site, "https://shop.example/binary");
        Instant at = DashboardServer.TODAY.atTime(9, 0).toInstant(java.time.ZoneOffset.UTC);
        traffic.visit(site, page).click(at, 300, 400, "#buy").click(at.plusSeconds(2), 310, 404, "#buy").move(at, 700, 900).send();
        traffic.aggregate();
        String query = "?page=" + q("https://shop.example/binary") + "&kind=click&from=2025-03-01&to=2025-03-12";
        JsonNode json = server.get("/api/sites/" + site.publicKey() + "/heatmap" + query + "&raw=true").json();
        var binary = server.getBytes("/api/sites/" + site.publicKey() + "/heatmap.bin" + query);
        assertThat(binary.statusCode()).isEqualTo(200);
        assertThat(binary.headers().firstValue("Content-Type").orElse("")).startsWith("application/octet-stream");
        var buffer = java.nio.ByteBuffer.wrap(binary.body()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int headerLength = buffer.getInt();
        JsonNode header = readJson(new String(binary.body(), 4, headerLength, StandardCharsets.UTF_8));
        for (String field : List.of("cellSize", "columns", "rows", "layoutWidth", "layoutHeight", "sigma", "defaultSigma", "max", "p99", "total", "pageviews")) {
            assertThat(header.get(field)).as(field).isEqualTo(json.get(field));
        }
        int cells = header.get("columns").asInt() * header.get("rows").asInt();
        int start = (4 + headerLength + 3) / 4 * 4;
        assertThat(binary.body()).hasSize(start + cells * 8);
        long total = 0;
        for (int i = 0; i < cells; i++) {
            assertThat(buffer.getFloat(start + i * 4)).isEqualTo(json.get("values").get(i).floatValue());
            int count = buffer.getInt(start + cells * 4 + i * 4);
            assertThat(count).isEqualTo(json.get("counts").get(i).asInt());
            total += count;
        }
        assertThat(total).isEqualTo(2);
        assertThat(server.get("/api/sites/" + site.publicKey() + "/heatmap.bin?page=" + q("https://shop.example/binary") + "&kind=scroll").status())
                .isEqualTo(400);
    }

    @Test
    void lists_sites_with_today_in_their_time_zone() {
        Site kiritimati = traffic.site("Pacific/Kiritimati"); // UTC+14: at noon UTC it is already tomorrow there
        JsonNode sites = server.get("/api/sites").json().get("sites");
        JsonNode mine = list(sites).stream().filter(s -> s.get("key").asText().equals(kiritimati.publicKey())).findFirst().orElseThrow();
        assertThat(mine.get("name").asText()).isEqualTo("Shop");
        assertThat(mine.get("origins").toString()).isEqualTo("[\"https://shop.example\"]");
        assertThat(mine.get("timeZone").asText()).isEqualTo("Pacific/Kiritimati");
        assertThat(mine.get("today").asText()).isEqualTo(DashboardServer.TODAY.plusDays(1).toString());
    }

    private static Shot shot(Flag flag, List<ElementBox> boxes) {
        return new Shot(URI.create("https://shop.example/members"), 200, flag, flag == null ? null : "a login form",
                1440, 900, false, List.of(new Tile(0, 900, "image/png", png(1440, 900, Color.WHITE))), boxes);
    }

    private static List<String> layout(Site site, long page) {
        return server.db().jdbi().withHandle(h -> h.createQuery(
                        "SELECT selector FROM layout_element WHERE site_id = :s AND page_id = :p AND device = 'desktop' ORDER BY selector")
                .bind("s", site.id()).bind("p", page).mapTo(String.class).list());
    }

    private static void assertRefused(Response response, int status, String field) {
        assertThat(response.status()).as(response.json().toString()).isEqualTo(status);
        assertThat(response.json().get("field").asText()).isEqualTo(field);
        assertThat(response.json().get("error").asText()).isNotBlank();
    }

    private static List<Long> ids(JsonNode captures) {
        return list(captures).stream().map(c -> c.get("id").asLong()).toList();
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> nodes = new ArrayList<>();
        array.forEach(nodes::add);
        return nodes;
    }

    private static JsonNode readJson(String text) {
        try {
            return DashboardServer.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage image(int width, int height, Color color) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    private static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var random = new java.util.Random(7);
        for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) image.setRGB(x, y, random.nextInt());
        return image;
    }

    static byte[] png(int width, int height, Color color) {
        return encode(image(width, height, color), "png");
    }

    static byte[] encode(BufferedImage image, String format) {
        try {
            var out = new ByteArrayOutputStream();
            ImageIO.write(image, format, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
