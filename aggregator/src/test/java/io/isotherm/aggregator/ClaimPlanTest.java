package io.isotherm.aggregator;

import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.site.SiteDao;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's claim reads the batches it claims, not the whole backlog: the sites of the oldest pending batches come from
 * an index in arrival order (V22). Before it, the question read and sorted every pending batch once per run, so a
 * backlog of b batches took b²/n batch reads to drain, n per run.
 */
class ClaimPlanTest {
    private static final int SITES = 3;
    private static final int PENDING_PER_SITE = 4_000;
    private static final int CLAIM = 100;
    private static final Pattern ROWS = Pattern.compile("actual time=[\\d.]+\\.\\.[\\d.]+ rows=(\\d+)");

    private static Database db;

    @BeforeAll
    static void pendingBacklog() {
        db = TestPostgres.open();
        for (int s = 0; s < SITES; s++) {
            int offset = s;
            int site = new SiteDao(db.jdbi()).add("Site " + s, List.of("https://s" + s + ".example"), List.of()).id();
            // The sites' batches interleaved in time, a fifth of them already aggregated.
            db.jdbi().useHandle(h -> h.createUpdate("""
                            INSERT INTO ingest_batch (site_id, pageview_id, seq, page_id, event_count, received_at, aggregated_at)
                            SELECT :site, gen_random_uuid(), 0, 1, 10,
                                   now() - interval '1 day' + (b * 3 + :offset) * interval '1 second',
                                   CASE WHEN b % 5 = 0 THEN now() END
                            FROM generate_series(1, :n) b""")
                    .bind("site", site).bind("offset", offset).bind("n", PENDING_PER_SITE * 5 / 4)
                    .execute());
        }
        db.jdbi().useHandle(h -> h.execute("ANALYZE ingest_batch"));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void the_oldest_pending_batches_are_read_in_arrival_order_without_sorting_the_backlog() {
        List<String> lines = db.jdbi().withHandle(h -> h.createQuery("EXPLAIN (ANALYZE, COSTS OFF) "
                + AggregationRun.OLDEST_PENDING_SITES).bind("limit", CLAIM).mapTo(String.class).list());
        String plan = String.join("\n", lines);

        assertThat(plan).as(plan).contains("ingest_batch_pending_oldest").doesNotContain("Sort Key: ingest_batch.received_at");
        // The scan under the limit stops after the claimed batches: it does not return every pending one.
        String scan = plan.lines().filter(l -> l.contains("ingest_batch_pending_oldest")).findFirst().orElseThrow();
        Matcher rows = ROWS.matcher(scan);
        assertThat(rows.find()).as(scan).isTrue();
        assertThat(Integer.parseInt(rows.group(1))).as(plan).isEqualTo(CLAIM);
    }

    @Test
    void the_oldest_pending_batches_of_every_site_are_counted_per_site() {
        List<Integer> counts = db.jdbi().withHandle(h -> h.createQuery(AggregationRun.OLDEST_PENDING_SITES)
                .bind("limit", 30).map((rs, ctx) -> rs.getInt(2)).list());
        // Interleaved arrivals: the oldest 30 pending are 10 of each site.
        assertThat(counts).containsExactly(10, 10, 10);
    }
}
