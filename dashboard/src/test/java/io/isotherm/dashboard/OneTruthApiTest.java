package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.aggregator.Aggregator;
import io.isotherm.aggregator.AggregatorSettings;
import io.isotherm.db.site.Site;
import io.isotherm.grid.AggregateVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static io.isotherm.dashboard.DashboardServer.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One truth per view: right after an aggregation, while the stored 30-day views are stale (computed less than the
 * refresh interval ago), every report of a view answers the same counts and the same aggregate version. The stored
 * views are made by the database's clock, so the range here is the last 30 days of the real UTC day.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OneTruthApiTest {
    private static final String PAGE = "https://shop.example/pricing";
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final String FROM = TODAY.minusDays(29).toString(), TO = TODAY.toString();
    private static final Instant T = TODAY.minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);

    private static DashboardServer server;
    private static Site site;
    private static long versionBefore;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        Traffic traffic = new Traffic(server.db(), TODAY);
        site = traffic.site("UTC");
        long page = traffic.page(site, PAGE);
        // Counted and stored in views: desktop 2 page views, 3 clicks; mobile 1 page view, 1 click.
        traffic.visit(site, page).click(T, 700, 1010, "#buy").click(T.plusSeconds(1), 700, 1010, "#buy").send();
        traffic.visit(site, page).click(T, 700, 1010, "#buy").send();
        traffic.visit(site, page, "mobile", 390, 800, 3000).click(T, 100, 500, "#buy").send();
        traffic.aggregate();
        versionBefore = server.db().jdbi().withHandle(h -> AggregateVersion.of(h, site.id()));
        // Counted, but too soon after the last refresh for the stored views to follow (aggregate --once's defaults):
        // desktop +2 page views (one without clicks), +2 clicks (one on no element); mobile +1 page view, +1 click.
        traffic.visit(site, page).click(T.plusSeconds(60), 700, 1010, "#buy").click(T.plusSeconds(61), 300, 2000, null).send();
        traffic.visit(site, page).scroll(T.plusSeconds(60), 2000, null).send();
        traffic.visit(site, page, "mobile", 390, 800, 3000).click(T.plusSeconds(60), 100, 500, "#buy").send();
        traffic.aggregate();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    @Order(1)
    void the_stored_view_is_stale_and_marked_so_the_heatmap_is_computed_from_the_counts() {
        assertThat(stored("pageviews")).as("stored before the new counts").isEqualTo(2);
        assertThat(marks()).isPositive();

        JsonNode heatmap = get("heatmap", "device", "desktop");

        assertThat(heatmap.get("pageviews").asLong()).isEqualTo(4);
        assertThat(heatmap.get("total").asLong()).isEqualTo(5);
    }

    @Test
    @Order(2)
    void pages_scroll_calendar_heatmap_and_elements_agree_in_counts_and_version() {
        var listed = server.get(site.publicKey(), "pages", "from", FROM, "to", TO);
        assertThat(listed.status()).isEqualTo(200);
        JsonNode pages = listed.json();
        JsonNode page = pages.get("pages").get(0);
        JsonNode desktop = page.get("devices").get("desktop");
        JsonNode heatmap = get("heatmap", "device", "desktop");
        JsonNode header = heatmapBinHeader("desktop");
        JsonNode elements = get("elements", "device", "desktop");
        JsonNode scroll = get("scroll", "device", "desktop");
        JsonNode calendar = get("calendar");
        JsonNode mobileHeatmap = get("heatmap", "device", "mobile");
        JsonNode mobileElements = get("elements", "device", "mobile");

        assertThat(desktop.get("pageviews").asLong()).isEqualTo(4);
        assertThat(desktop.get("clicks").asLong()).isEqualTo(5);
        for (JsonNode answer : new JsonNode[]{heatmap, header, scroll}) {
            assertThat(answer.get("pageviews").asLong()).isEqualTo(4);
        }
        assertThat(heatmap.get("total").asLong()).isEqualTo(5);
        assertThat(header.get("total").asLong()).isEqualTo(5);
        assertThat(elements.get("pageviews").asLong()).isEqualTo(4);
        assertThat(elements.get("pageClicks").asLong()).isEqualTo(5);
        assertThat(elements.get("clicks").asLong()).as("clicks on elements").isEqualTo(4);
        assertThat(mobileHeatmap.get("pageviews").asLong()).isEqualTo(page.get("devices").get("mobile").get("pageviews").asLong()).isEqualTo(2);
        assertThat(mobileElements.get("pageClicks").asLong()).isEqualTo(mobileHeatmap.get("total").asLong()).isEqualTo(2);
        assertThat(calendar.get("totals")).isEqualTo(JSON.createObjectNode().put("clicks", 7).put("pageviews", 6));
        assertThat(page.get("pageviews").asLong()).isEqualTo(6);
        assertThat(page.get("clicks").asLong()).isEqualTo(7);

        long version = pages.get("version").asLong();
        assertThat(version).isGreaterThan(versionBefore);
        for (JsonNode answer : new JsonNode[]{heatmap, header, elements, scroll, calendar, mobileHeatmap, mobileElements}) {
            assertThat(answer.get("version").asLong()).isEqualTo(version);
        }
    }

    @Test
    @Order(3)
    void a_refreshed_view_is_served_from_storage_until_new_counts_mark_it() {
        new Aggregator(server.db().jdbi(), AggregatorSettings.defaults().withViewRefresh(Duration.ZERO)).aggregatePending();
        assertThat(marks()).isZero();
        assertThat(stored("pageviews")).isEqualTo(4);
        // A stored maximum no count could give shows which one is served (not the total: the default radius, and so
        // whether the stored view still fits it, is derived from the total).
        server.db().jdbi().useHandle(h -> h.execute("UPDATE heatmap_view SET max = 1000 WHERE site_id = ?", site.id()));
        assertThat(get("heatmap", "device", "desktop").get("max").asDouble()).isEqualTo(1000);

        server.db().jdbi().useHandle(h -> h.execute("""
                INSERT INTO heatmap_dirty (site_id, page_id, device, kind)
                SELECT site_id, page_id, 'desktop', 'click' FROM page WHERE site_id = ?""", site.id()));

        JsonNode computed = get("heatmap", "device", "desktop");
        assertThat(computed.get("max").asDouble()).isLessThan(1000);
        assertThat(computed.get("total").asLong()).isEqualTo(5);
    }

    private static JsonNode get(String report, String... params) {
        String[] all = new String[params.length + 6];
        System.arraycopy(new String[]{"page", PAGE, "from", FROM, "to", TO}, 0, all, 0, 6);
        System.arraycopy(params, 0, all, 6, params.length);
        var response = server.get(site.publicKey(), report, all);
        assertThat(response.status()).as(report).isEqualTo(200);
        return response.json();
    }

    private static JsonNode heatmapBinHeader(String device) {
        var binary = server.getBytes("/api/sites/" + site.publicKey() + "/heatmap.bin?page=" + PAGE + "&device=" + device
                + "&from=" + FROM + "&to=" + TO);
        assertThat(binary.statusCode()).isEqualTo(200);
        int length = ByteBuffer.wrap(binary.body()).order(ByteOrder.LITTLE_ENDIAN).getInt();
        try {
            return JSON.readTree(new String(binary.body(), 4, length, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A column of the stored 30-day desktop click view. */
    private static long stored(String column) {
        return server.db().jdbi().withHandle(h -> h.createQuery("SELECT " + column + " " + """
                         FROM heatmap_view WHERE site_id = :site AND device = 'desktop' AND kind = 'click' AND days = 30""")
                .bind("site", site.id()).mapTo(Long.class).one());
    }

    private static int marks() {
        return server.db().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM heatmap_dirty WHERE site_id = :site")
                .bind("site", site.id()).mapTo(Integer.class).one());
    }
}
