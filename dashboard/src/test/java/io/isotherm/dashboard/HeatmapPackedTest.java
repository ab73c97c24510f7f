package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.db.site.Site;
import io.isotherm.grid.GaussianSmoothing;
import io.isotherm.grid.Heatmap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * heatmap.packed (docs/API.md): the encoder against a reader written here from the documentation, and the endpoint
 * against the JSON heatmap. The viewer's reader is tested on the same bytes (dashboard/src/test/js/heatmap-bin.test.mjs).
 */
class HeatmapPackedTest {
    /** One step of √v: a value comes back within half of it (and float32's rounding). */
    private static final double STEP = 1.0 / HeatmapBinary.STEPS;
    private static final double HALF_STEP = STEP / 2 + 1e-7;

    private static DashboardServer server;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void packs_a_small_grid_into_the_bytes_the_viewers_test_reads() {
        String header = "{\"cellSize\":8,\"columns\":3,\"rows\":2,\"packing\":1}";
        byte[] packed = HeatmapBinary.pack(header, heatmap(3, 2, new float[]{0, 0.25f, 1, 0, 0, 0.0001f}, new int[]{0, 1, 300, 0, 0, 0}));
        // The same hex is in heatmap-bin.test.mjs: values 0 | 32768 65535 | 0 0 | 655, counts 0 | 1 300 | 0 0 0.
        assertThat(HexFormat.of().formatHex(packed)).isEqualTo("2f000000" + hex(header)
                + "01" + "02" + "808004" + "feff03" + "02" + "01" + "9e0a"
                + "01" + "02" + "01" + "ac02" + "03" + "00");
    }

    @Test
    void a_smoothed_grid_comes_back_within_half_a_step_and_its_counts_exactly() {
        int columns = 180, rows = 625;
        Random random = new Random(15);
        int[] counts = new int[columns * rows];
        for (int i = 0; i < 3000; i++) counts[random.nextInt(40) * 997 % counts.length + random.nextInt(columns)]++;
        for (int i = 0; i < 300; i++) counts[random.nextInt(counts.length)] += 1 + random.nextInt(100_000); // spikes, long varints
        float[] values = normalised(counts, columns, rows, 2);
        Decoded back = decode(HeatmapBinary.pack("{\"columns\":180,\"rows\":625,\"packing\":1}", heatmap(columns, rows, values, counts)));

        assertThat(back.header.get("columns").asInt()).isEqualTo(columns);
        assertThat(back.counts).isEqualTo(counts);
        int zeros = 0;
        for (int i = 0; i < values.length; i++) {
            assertThat(Math.sqrt(back.values[i])).as("cell %d", i).isCloseTo(Math.sqrt(values[i]), within(HALF_STEP));
            if (values[i] == 0) {
                assertThat(Float.floatToRawIntBits(back.values[i])).as("cell %d stays exactly 0", i).isZero();
                zeros++;
            }
        }
        assertThat(zeros).as("the grid has empty areas").isPositive();
        assertThat(back.values).contains(1f);
        assertThat(back.end).isEqualTo(back.length);
    }

    @Test
    void keeps_the_faint_edge_a_log_scale_shows_beside_a_far_busier_spot() {
        // A lone click's peak beside a spot a million times busier: linear 16-bit steps would make it 0.
        float faint = 1e-6f;
        Decoded back = decode(HeatmapBinary.pack("{\"columns\":2,\"rows\":1,\"packing\":1}",
                heatmap(2, 1, new float[]{1, faint}, new int[]{1_000_000, 1})));
        assertThat(back.values[1]).isPositive().isCloseTo(faint, within(faint * 0.02f));
    }

    @Test
    void what_is_not_above_zero_is_zero_and_what_is_not_below_one_is_one() {
        assertThat(HeatmapBinary.quantise(-0.0f)).isZero();
        assertThat(HeatmapBinary.quantise(-0.5f)).isZero();
        assertThat(HeatmapBinary.quantise(Float.NaN)).isZero();
        assertThat(HeatmapBinary.quantise(1.0000001f)).isEqualTo(HeatmapBinary.STEPS);
        assertThat(HeatmapBinary.value(HeatmapBinary.STEPS)).isEqualTo(1f);
        assertThat(Float.floatToRawIntBits(HeatmapBinary.value(0))).isZero();
    }

    @Test
    void the_endpoint_answers_the_json_heatmaps_numbers_packed_and_compressed_on_request() throws Exception {
        Traffic traffic = server.traffic();
        Site site = traffic.site("UTC");
        String url = "https://shop.example/packed";
        long page = traffic.page(site, url);
        Instant at = DashboardServer.TODAY.atTime(9, 0).toInstant(java.time.ZoneOffset.UTC);
        Traffic.Visit visit = traffic.visit(site, page);
        for (int i = 0; i < 40; i++) visit.click(at.plusSeconds(i), 100 + 23 * i, 200 + 61 * i, "#a");
        visit.click(at, 300, 400, "#buy").click(at.plusSeconds(2), 310, 404, "#buy").send();
        traffic.aggregate();
        String query = "?page=" + URLEncoder.encode(url, StandardCharsets.UTF_8) + "&kind=click&from=2025-03-01&to=2025-03-12";
        JsonNode json = server.get("/api/sites/" + site.publicKey() + "/heatmap" + query + "&raw=true").json();

        HttpResponse<byte[]> plain = server.getBytes("/api/sites/" + site.publicKey() + "/heatmap.packed" + query);
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Type").orElse("")).startsWith("application/octet-stream");
        Decoded back = decode(plain.body());
        for (String field : List.of("version", "cellSize", "columns", "rows", "layoutWidth", "layoutHeight", "sigma", "defaultSigma", "max", "p99", "total", "pageviews")) {
            assertThat(back.header.get(field)).as(field).isEqualTo(json.get(field));
        }
        assertThat(back.header.get("packing").asInt()).isEqualTo(HeatmapBinary.PACKING);
        int cells = json.get("columns").asInt() * json.get("rows").asInt();
        assertThat(back.values).hasSize(cells);
        long total = 0;
        for (int i = 0; i < cells; i++) {
            // Outside 0..1 (a smoothing's rounding may leave −1e−9) the packed value is clamped.
            float value = Math.min(1, Math.max(0, json.get("values").get(i).floatValue()));
            assertThat(Math.sqrt(back.values[i])).as("cell %d", i).isCloseTo(Math.sqrt(value), within(HALF_STEP));
            assertThat(back.counts[i]).as("cell %d", i).isEqualTo(json.get("counts").get(i).asInt());
            total += back.counts[i];
        }
        assertThat(total).isEqualTo(42);
        byte[] bin = server.getBytes("/api/sites/" + site.publicKey() + "/heatmap.bin" + query).body();
        assertThat(plain.body().length).as("packed against heatmap.bin").isLessThan(bin.length / 4);

        // A browser asks for gzip, and gets it: the same bytes, fewer of them on the wire.
        HttpResponse<byte[]> gzipped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.url() + "/api/sites/" + site.publicKey() + "/heatmap.packed" + query))
                .header("Accept-Encoding", "gzip").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertThat(in.readAllBytes()).isEqualTo(plain.body());
        }
        assertThat(gzipped.body().length).isLessThan(plain.body().length);

        assertThat(server.get("/api/sites/" + site.publicKey() + "/heatmap.packed" + query.replace("kind=click", "kind=scroll")).status())
                .isEqualTo(400);
    }

    private static Heatmap heatmap(int columns, int rows, float[] values, int[] counts) {
        return new Heatmap(8, columns, rows, columns * 8, rows * 8, 16, 16, values, counts, 1, 1, 0, 0, 0);
    }

    /** Smoothed counts divided by their maximum, as the grid library answers them. */
    private static float[] normalised(int[] counts, int columns, int rows, double sigmaCells) {
        float[] grid = new float[counts.length];
        for (int i = 0; i < counts.length; i++) grid[i] = counts[i];
        float[] smoothed = GaussianSmoothing.smooth(grid, columns, rows, sigmaCells);
        float max = 0;
        for (float v : smoothed) max = Math.max(max, v);
        for (int i = 0; i < smoothed.length; i++) smoothed[i] = Math.min(1, Math.max(0, smoothed[i] / max));
        return smoothed;
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    private record Decoded(JsonNode header, float[] values, int[] counts, int end, int length) {
    }

    /** Reads heatmap.packed as docs/API.md describes it. */
    private static Decoded decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int n = in.getInt();
        JsonNode header;
        try {
            header = DashboardServer.JSON.readTree(new String(bytes, 4, n, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        in.position(4 + n);
        int cells = header.get("columns").asInt() * header.get("rows").asInt();
        float[] values = new float[cells];
        int[] counts = new int[cells];
        for (int i = 0; i < cells; ) {
            i += varint(in);
            int step = 0;
            for (int end = i + varint(in); i < end; i++) {
                int z = varint(in);
                step += (z >>> 1) ^ -(z & 1);
                double root = step / 65535.0;
                values[i] = (float) (root * root);
            }
        }
        for (int i = 0; i < cells; ) {
            i += varint(in);
            for (int end = i + varint(in); i < end; i++) counts[i] = varint(in);
        }
        return new Decoded(header, values, counts, in.position(), bytes.length);
    }

    private static int varint(ByteBuffer in) {
        int result = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.get() & 0xff;
            result |= (b & 0x7f) << shift;
            if (b < 0x80) return result;
        }
    }
}
