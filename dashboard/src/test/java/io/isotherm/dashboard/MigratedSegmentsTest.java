package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.dashboard.access.AccessMode;
import io.isotherm.db.Database;
import io.isotherm.db.DatabaseSettings;
import io.isotherm.db.segment.SegmentFilter;
import io.isotherm.grid.BlockRefresh;
import io.isotherm.grid.GridGeometry;
import io.isotherm.testing.TestServer;
import io.javalin.Javalin;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Traffic segments' counts stored by the V20 code survive the migrations after V20 unchanged, as the read API sees them
 * filtered by segment. The fixture ({@link V20SegmentFixtureRecorder}, recorded at 484db0a) is a dump of every aggregate
 * table after the V20 aggregator counted a known event set of 148 segments in three runs, the refresh after the first
 * only, so a segment's clicks and moves are in both of V20's forms (day rows and parts not yet added), and 251 read-API
 * answers on it: heatmaps (JSON with counts, and heatmap.bin), elements and scroll of pages and the elements and heatmap
 * of a page group, per filter and unfiltered. Here the dump goes into a database migrated to V20 only, the platform then
 * migrates it as at any start, and every answer must be as recorded, before the refresh and after it.
 */
class MigratedSegmentsTest {
    @Test
    void segment_filtered_answers_on_aggregates_migrated_from_v20_are_the_answers_recorded_on_v20() throws Exception {
        JsonNode fixture = AggregateDump.fixture("migration/v20-segments-answers.json");
        JsonNode answers = fixture.get("answers");
        assertThat(answers.size()).as("recorded answers").isEqualTo(251);
        // Not an empty fixture: filtered answers with clicks, also on the day of parts alone and on the day of rows and parts.
        LocalDate today = LocalDate.parse(fixture.get("today").asText());
        assertThat(answersWith(answers, r -> filtered(r) && clickHeatmap(r), a -> a.get("total").longValue() > 0))
                .as("segment-filtered click heatmaps with clicks").isGreaterThanOrEqualTo(50);
        assertThat(answersWith(answers, r -> filtered(r) && r.contains("/elements?"), a -> a.get("pageClicks").longValue() > 0))
                .as("segment-filtered elements tables with clicks").isGreaterThanOrEqualTo(50);
        for (LocalDate day : List.of(today.minusDays(1), today.minusDays(2))) {
            assertThat(answersWith(answers, r -> filtered(r) && clickHeatmap(r) && r.contains("from=" + day + "&to=" + day),
                    a -> a.get("total").longValue() > 0)).as("segment-filtered click heatmaps with clicks on " + day).isGreaterThanOrEqualTo(10);
        }

        AggregateDump.Loaded dump = AggregateDump.loadAt("20", "migration/v20-segments-aggregates.copy.gz");
        DatabaseSettings settings = dump.settings();
        Map<String, Integer> loaded = dump.tables();
        assertThat(loaded).as("the segments and their rows are in the dump")
                .containsKeys("segment", "click_target", "heat_tile", "element_day", "heat_block_dirty", "pageview_summary", "page_group");
        // At V20, before any later migration: the segments' rows as the fixture promises them.
        Jdbi v20 = Jdbi.create(() -> DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password()));
        assertThat(count(v20, "SELECT count(*) FROM click_target WHERE segment_id > 0 AND span = 0")).as("segment click parts").isPositive();
        assertThat(count(v20, "SELECT count(*) FROM click_target WHERE segment_id > 0 AND span = 1")).as("segment click day rows").isPositive();
        assertThat(count(v20, """
                SELECT count(*) FROM click_target p WHERE p.segment_id > 0 AND p.span = 0
                  AND EXISTS (SELECT FROM click_target r WHERE (r.site_id, r.page_id, r.device, r.segment_id, r.first_day, r.selector)
                                = (p.site_id, p.page_id, p.device, p.segment_id, p.first_day, p.selector) AND r.span = 1)"""))
                .as("segment click parts of a day that has its row").isPositive();
        assertThat(count(v20, "SELECT count(*) FROM heat_tile WHERE segment_id > 0 AND span = 0")).as("segment move parts").isPositive();
        assertThat(count(v20, "SELECT count(*) FROM element_day WHERE segment_id > 0")).as("segment element rows").isPositive();
        // The next part or segment a later migration or aggregation makes must not take an id the dump holds.
        assertThat(count(v20, "SELECT last_value FROM aggregate_part")).as("aggregate_part after the loaded parts")
                .isGreaterThanOrEqualTo(count(v20, "SELECT greatest((SELECT max(part) FROM heat_tile), (SELECT max(part) FROM click_target))"));
        assertThat(count(v20, "SELECT last_value FROM segment_id_seq")).as("segment_id_seq after the loaded segments").isGreaterThanOrEqualTo(count(v20, "SELECT max(segment_id) FROM segment"));

        List<Map.Entry<String, JsonNode>> recorded = new ArrayList<>();
        answers.fields().forEachRemaining(recorded::add);
        List<String> differences = new ArrayList<>();
        try (Database db = Database.open(settings, null); // migrates to the latest version, as every process does at start
             Dashboard dashboard = new Dashboard(db.jdbi(), GridGeometry.defaults(),
                     DashboardSettings.defaults().withCaptureWorker(false, false).withAccess(AccessMode.LOCAL), RecordedAnswers.LATER)) {
            Javalin app = TestServer.start("127.0.0.1", dashboard::routes);
            try {
                String base = "http://127.0.0.1:" + app.port();
                // As migrated (the parts still there, read as they are), then once the refresh has added them to the rows.
                // V21: the segments' clicks on targets moved to a row per segment, page, device and day.
                assertThat(count(db.jdbi(), "SELECT count(*) FROM click_target WHERE segment_id > 0")).as("segment rows left in click_target").isZero();
                assertThat(count(db.jdbi(), "SELECT count(*) FROM element_day WHERE segment_id > 0")).as("segment rows left in element_day").isZero();
                assertThat(count(db.jdbi(), "SELECT count(*) FROM segment_click_day")).as("segment_click_day rows").isPositive();
                differences.addAll(RecordedAnswers.differences(base, recorded, "as migrated"));
                assertThat(new BlockRefresh(db.jdbi()).refresh()).as("days the refresh adds to the rows").isPositive();
                // Every part of every segment, wherever a later migration keeps the segments' rows: none is left in these
                // tables (only span is named, a V20 column; segment_id may not stay on them).
                assertThat(count(db.jdbi(), "SELECT count(*) FROM heat_tile WHERE span = 0")).as("heat_tile parts left after the refresh").isZero();
                assertThat(count(db.jdbi(), "SELECT count(*) FROM click_target WHERE span = 0")).as("click_target parts left after the refresh").isZero();
                assertThat(count(db.jdbi(), "SELECT count(*) FROM segment_click_day WHERE span = 0")).as("segment_click_day parts left").isZero();
                assertThat(count(db.jdbi(), """
                        SELECT count(*) FROM segment_click_day s
                        WHERE cardinality(s.selectors) <> (SELECT count(DISTINCT x) FROM unnest(s.selectors) x)"""))
                        .as("day rows naming a selector twice").isZero();
                differences.addAll(RecordedAnswers.differences(base, recorded, "after the refresh"));
            } finally {
                app.stop();
            }
        }
        assertThat(differences.size()).as(() -> "differences from the answers recorded on V20, the first:\n"
                + String.join("\n", differences.subList(0, Math.min(40, differences.size())))).isZero();
    }

    /** Whether a recorded request names a segment filter (any dimension, even empty: "country=" is the visitors of none). */
    private static boolean filtered(String request) {
        return Arrays.stream(request.substring(request.indexOf('?') + 1).split("&"))
                .anyMatch(p -> SegmentFilter.DIMENSIONS.contains(p.substring(0, p.indexOf('='))));
    }

    private static boolean clickHeatmap(String request) {
        return (request.contains("/heatmap?") || request.contains("/heatmap.bin?")) && request.contains("kind=click");
    }

    /** How many recorded answers are to a request and with a body that match. */
    private static long answersWith(JsonNode answers, Predicate<String> request, Predicate<JsonNode> body) {
        long n = 0;
        for (var it = answers.fields(); it.hasNext(); ) {
            var answer = it.next();
            if (request.test(answer.getKey()) && body.test(answer.getValue().get("body"))) n++;
        }
        return n;
    }

    private static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

}
