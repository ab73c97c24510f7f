package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.dashboard.access.AccessMode;
import io.isotherm.db.Database;
import io.isotherm.db.DatabaseSettings;
import io.isotherm.grid.BlockRefresh;
import io.isotherm.grid.GridGeometry;
import io.isotherm.testing.TestServer;
import io.javalin.Javalin;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Aggregates made by the V11 code survive the migrations after V11 unchanged, as the read API sees them. The fixture
 * ({@link V11FixtureRecorder}, recorded at 36fcfe0) is a dump of every aggregate table after the V11 aggregator
 * counted a known event set, and 564 read-API answers on it: heatmaps (JSON with counts, and heatmap.bin), elements,
 * scroll, calendar and the pages list. Here the dump goes into a database migrated to V11 only, the platform then
 * migrates it as at any start, and every answer must be as recorded, but for the clamping of heatmap values to
 * [0, 1] ({@link RecordedAnswers}).
 */
class MigratedAggregatesTest {
    @Test
    void answers_on_aggregates_migrated_from_v11_are_the_answers_recorded_on_v11() throws Exception {
        JsonNode fixture = AggregateDump.fixture("migration/v11-answers.json");
        JsonNode answers = fixture.get("answers");
        assertThat(answers.size()).as("recorded answers").isEqualTo(564);
        long heatmapsWithEvents = answers.findValues("total").stream().filter(t -> t.longValue() > 0).count();
        assertThat(heatmapsWithEvents).as("heatmap answers with events: the fixture is not empty").isGreaterThan(200);

        AggregateDump.Loaded dump = AggregateDump.loadAt("11", "migration/v11-aggregates.copy.gz");
        DatabaseSettings settings = dump.settings();
        Map<String, Integer> loaded = dump.tables();
        assertThat(loaded).as("the old grids are in the dump").containsKeys("heat_cell", "click_anchor", "heatmap_view", "heatmap_dirty");

        List<Map.Entry<String, JsonNode>> recorded = new ArrayList<>();
        answers.fields().forEachRemaining(recorded::add);
        List<String> differences = new ArrayList<>();
        try (Database db = Database.open(settings, null); // migrates to the latest version, as every process does at start
             Dashboard dashboard = new Dashboard(db.jdbi(), GridGeometry.defaults(),
                     DashboardSettings.defaults().withCaptureWorker(false, false).withAccess(AccessMode.LOCAL), RecordedAnswers.LATER)) {
            Javalin app = TestServer.start("127.0.0.1", dashboard::routes);
            try {
                String base = "http://127.0.0.1:" + app.port();
                // As migrated (V20 leaves the old days as parts, read as they are), then once the refresh has built
                // the prefix rows from them.
                differences.addAll(RecordedAnswers.differences(base, recorded, "as migrated"));
                assertThat(new BlockRefresh(db.jdbi()).refresh()).as("days the refresh adds to the rows").isGreaterThan(100);
                int partsLeft = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM heat_tile WHERE span = 0").mapTo(Integer.class).one());
                assertThat(partsLeft).as("parts left after the refresh").isZero();
                differences.addAll(RecordedAnswers.differences(base, recorded, "after the refresh"));
            } finally {
                app.stop();
            }
        }
        assertThat(differences.size()).as(() -> "differences from the answers recorded on V11, the first:\n"
                + String.join("\n", differences.subList(0, Math.min(40, differences.size())))).isZero();
    }

}
