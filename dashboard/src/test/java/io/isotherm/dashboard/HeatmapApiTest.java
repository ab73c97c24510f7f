package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.db.site.Site;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static io.isotherm.dashboard.DashboardServer.JSON;
import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP side of the heatmap: the grid itself is the aggregator's HeatmapQuery, tested there. */
class HeatmapApiTest {
    private static final String PAGE = "https://shop.example/pricing";
    private static final Instant T0 = TODAY.minusDays(2).atTime(12, 0).toInstant(ZoneOffset.UTC);

    private final DashboardServer server = DashboardServer.start();
    private Site site;

    @BeforeEach
    void setUp() {
        Traffic traffic = server.traffic();
        site = traffic.site("UTC");
        long page = traffic.page(site, PAGE);
        // Desktop layout 1440 px wide in 8 px cells; documents 5000 px tall.
        traffic.visit(site, page).click(T0, 724, 1000, "#buy").click(T0, 724, 1000, "#buy").move(T0, 100, 100).send();
        traffic.visit(site, page).click(T0, 300, 2000, null).send();
        traffic.aggregate();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void answers_the_grid_with_its_size_scale_and_totals() {
        var response = server.get(site.publicKey(), "heatmap", "page", PAGE);

        assertThat(response.status()).isEqualTo(200);
        JsonNode map = response.json();
        assertThat(fieldNames(map)).containsExactly("version", "cellSize", "columns", "rows", "layoutWidth", "layoutHeight", "sigma",
                "defaultSigma", "values", "max", "p99", "total", "pageviews", "notDrawn");
        assertThat(map.get("version").asLong()).isEqualTo(1);
        assertThat(map.get("cellSize").asInt()).isEqualTo(8);
        assertThat(map.get("columns").asInt()).isEqualTo(180);
        assertThat(map.get("rows").asInt()).isEqualTo(625);
        assertThat(map.get("layoutWidth").asInt()).isEqualTo(1440);
        assertThat(map.get("layoutHeight").asInt()).isEqualTo(5000);
        // Without sigma: the default for 3 clicks on 1440 × 5000 px, √(7,200,000 / 12) · 3^(−1/6) / 8 = 80 → 48 px at most.
        assertThat(map.get("sigma").asDouble()).isEqualTo(48.0);
        assertThat(map.get("defaultSigma").asDouble()).isEqualTo(48.0);
        assertThat(map.get("values")).hasSize(180 * 625);
        assertThat(max(map.get("values"))).isEqualTo(1.0);
        assertThat(map.get("max").asDouble()).isPositive();
        assertThat(map.get("p99").asDouble()).isPositive().isLessThanOrEqualTo(map.get("max").asDouble());
        assertThat(map.get("total").asLong()).isEqualTo(3);
        assertThat(map.get("pageviews").asLong()).isEqualTo(2);
        assertThat(map.get("notDrawn").asLong()).as("every clicked element is on the layout, or none is known").isZero();
    }

    @Test
    void raw_true_adds_the_counts_per_cell_before_smoothing() {
        JsonNode map = server.get(site.publicKey(), "heatmap", "page", PAGE, "raw", "true", "sigma", "24").json();

        assertThat(map.get("sigma").asDouble()).isEqualTo(24.0);
        assertThat(map.get("defaultSigma").asDouble()).as("the default is told beside the σ asked for").isEqualTo(48.0);
        JsonNode counts = map.get("counts");
        assertThat(counts).hasSize(180 * 625);
        assertThat(counts.get(125 * 180 + 90).asInt()).isEqualTo(2); // (724, 1000) → cell (90, 125)
        assertThat(counts.get(250 * 180 + 37).asInt()).isEqualTo(1); // (300, 2000) → cell (37, 250)
        long sum = 0;
        for (JsonNode c : counts) sum += c.asLong();
        assertThat(sum).isEqualTo(3);
    }

    @Test
    void kind_move_maps_the_moves() {
        JsonNode map = server.get(site.publicKey(), "heatmap", "page", PAGE, "kind", "move", "raw", "true").json();

        assertThat(map.get("total").asLong()).isEqualTo(1);
        assertThat(map.get("counts").get(12 * 180 + 12).asInt()).isEqualTo(1);
    }

    @Test
    void sigma_out_of_bounds_is_refused_naming_sigma() throws Exception {
        for (String sigma : List.of("0.5", "257", "NaN", "wide")) {
            var response = server.get(site.publicKey(), "heatmap", "page", PAGE, "sigma", sigma);
            assertThat(response.status()).as(sigma).isEqualTo(400);
            assertThat(response.json()).as(sigma).isEqualTo(JSON.readTree("""
                    {"error": "sigma must be a number of px from 1 to 256", "field": "sigma"}"""));
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static double max(JsonNode values) {
        double max = 0;
        for (JsonNode v : values) max = Math.max(max, v.asDouble());
        return max;
    }
}
