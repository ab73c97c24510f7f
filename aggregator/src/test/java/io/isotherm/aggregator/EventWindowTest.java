package io.isotherm.aggregator;

import io.isotherm.aggregator.AggregationRun.Claimed;
import io.isotherm.aggregator.AggregationRun.EventWindow;
import io.isotherm.aggregator.EventFixture.Event;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run reads its batches' events from the range of occurred_at they were recorded with (V23), not from ten minutes
 * before their arrival: on a busy site those ten minutes hold many times the claim's events, all counted already.
 */
class EventWindowTest {
    /** Ten minutes of a busy site before the pending batches: 10 batches a second, 20 events each. */
    private static final int EARLIER_BATCHES = 6_000;
    private static final int EVENTS_PER_BATCH = 20;
    private static final int EARLIER_EVENTS = EARLIER_BATCHES * EVENTS_PER_BATCH;
    /**
     * Then a claim's worth of pending batches, 100 a second for 20 seconds, with 2 moves and a click each: as many
     * page views as a claim of a busy site holds, so PostgreSQL reads them as a range, not by key.
     */
    private static final int PENDING_BATCHES = 2_000;
    /** A scan that visits a partition's rows: "… on raw_event_20261207 raw_event (actual time=… rows=…", not an index's. */
    private static final Pattern SCAN_ROWS = Pattern.compile("on raw_event\\S* \\S+ \\(actual time=[\\d.]+\\.\\.[\\d.]+ rows=(\\d+)");
    private static final Pattern REMOVED_ROWS = Pattern.compile("Rows Removed by (?:Filter|Index Recheck): (\\d+)");

    private static Database db;
    private static EventFixture site;
    /** When the first pending batch arrived. */
    private static Instant arrival;

    @BeforeAll
    static void busySite() {
        db = TestPostgres.open();
        site = new EventFixture(db, "UTC");
        arrival = LocalDate.now(ZoneOffset.UTC).minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);
        db.jdbi().useHandle(h -> {
            batches(h, "earlier", EARLIER_BATCHES, arrival.minusSeconds(600), 100, EVENTS_PER_BATCH, true);
            batches(h, "pending", PENDING_BATCHES, arrival, 10, 3, false);
            h.execute("VACUUM ANALYZE raw_event"); // as autovacuum would have: the BRIN ranges summarized
        });
    }

    /**
     * {@code n} batches of a page view each, {@code spacingMs} apart from {@code first} on; their events 50 ms apart from
     * 2 s before their arrival, every third a click, the rest moves; stored in arrival order, as the collector does.
     */
    private static void batches(Handle h, String name, int n, Instant first, int spacingMs, int events, boolean aggregated) {
        h.createUpdate("""
                        INSERT INTO ingest_batch (site_id, pageview_id, seq, page_id, event_count, received_at, aggregated_at,
                            first_event_at, last_event_at)
                        SELECT :site, md5(:name || b)::uuid, 0, :page, :events, at, CASE WHEN :aggregated THEN now() END,
                               at - interval '2 seconds', at - interval '2 seconds' + (:events - 1) * interval '50 ms'
                        FROM generate_series(0, :n - 1) b,
                             LATERAL (SELECT :first::timestamptz + b * :spacing * interval '1 ms' AS at) t""")
                .bind("site", site.siteId).bind("page", site.pageId).bind("name", name).bind("events", events)
                .bind("aggregated", aggregated).bind("n", n).bind("first", first.atOffset(ZoneOffset.UTC)).bind("spacing", spacingMs)
                .execute();
        h.createUpdate("""
                        INSERT INTO raw_event (site_id, page_id, pageview_id, seq, occurred_at, kind, device, x, y,
                            document_width, document_height, viewport_width, viewport_height, fixed, interactive, rage)
                        SELECT b.site_id, b.page_id, b.pageview_id, 0, b.first_event_at + e * interval '50 ms',
                               CASE WHEN e % 3 = 2 THEN 'click' ELSE 'move' END::event_kind, 'desktop',
                               e * 10, e * 20, 1440, 5000, 1440, 900, false, true, false
                        FROM ingest_batch b CROSS JOIN generate_series(0, :events - 1) e
                        WHERE b.site_id = :site AND b.pageview_id IN (SELECT md5(:name || g)::uuid FROM generate_series(0, :n - 1) g)
                        ORDER BY b.received_at, e""")
                .bind("site", site.siteId).bind("name", name).bind("events", events).bind("n", n)
                .execute();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void a_claim_on_a_busy_site_reads_about_its_own_events_as_one_range_not_the_ten_minutes_before() {
        List<Claimed> claimed = claim();
        assertThat(claimed).hasSize(PENDING_BATCHES);
        int claimedEvents = PENDING_BATCHES * 3;

        EventWindow recorded = EventWindow.of(claimed);
        // The window holds the claim's 22 seconds of events, and the earlier batches' last second.
        assertThat(eventsIn(recorded)).isBetween(claimedEvents, claimedEvents + claimedEvents / 5);
        // Read as one range of occurred_at through the BRIN index, to within its ranges of 16 pages.
        List<String> plan = plan(recorded, claimed);
        assertThat(plan).as(String.join("\n", plan)).anyMatch(line -> line.contains("Bitmap Index Scan on raw_event_") && line.contains("occurred_at_idx"));
        assertThat(rowsExamined(plan)).as(String.join("\n", plan)).isLessThan(claimedEvents * 2);

        // Batches stored before V23 have no event times: their window starts ten minutes before the earliest arrival,
        // which holds every earlier event of this busy site as well.
        List<Claimed> unrecorded = claimed.stream().map(b -> new Claimed(b.siteId(), b.pageviewId(), b.seq(), b.receivedAt(),
                b.eventCount(), b.segment(), null, null)).toList();
        assertThat(eventsIn(EventWindow.of(unrecorded))).isGreaterThan(EARLIER_EVENTS);
    }

    @Test
    void the_window_spans_the_recorded_times_and_never_starts_more_than_ten_minutes_before_the_earliest_arrival() {
        Instant received = Instant.parse("2026-12-01T10:00:00Z");
        Claimed early = batch(received, received.minusSeconds(3), received.minusSeconds(1));
        Claimed late = batch(received.plusSeconds(4), received.plusSeconds(2), received.plusSeconds(3));
        assertThat(EventWindow.of(List.of(early, late)))
                .isEqualTo(new EventWindow(received.minusSeconds(3), received.plusSeconds(3)));

        // A batch sent after hours offline: its old events are read by key, the window does not stretch to them.
        Claimed offline = batch(received.plusSeconds(1), received.minus(Duration.ofHours(5)), received);
        assertThat(EventWindow.of(List.of(early, offline)))
                .isEqualTo(new EventWindow(received.minus(Duration.ofMinutes(10)), received));

        Claimed beforeV23 = batch(received.plusSeconds(5), null, null);
        assertThat(EventWindow.of(List.of(early, beforeV23)))
                .isEqualTo(new EventWindow(received.minus(Duration.ofMinutes(10)), received.plusSeconds(65)));
    }

    @Test
    void every_pending_event_is_counted_once_whether_in_the_window_read_by_key_or_stored_before_v23() {
        // Two more pending batches: one with an event from two hours before its arrival (read by key), one whose times
        // were not recorded (stored before V23).
        Instant received = arrival.plusSeconds(30);
        UUID offline = UUID.randomUUID(), old = UUID.randomUUID();
        site.batch(offline, 0, received, List.of(Event.move(received.minus(Duration.ofHours(2)), 70, 80),
                Event.move(received.minusSeconds(1), 90, 100)));
        site.batch(old, 0, received.plusSeconds(1), List.of(Event.move(received.plusSeconds(30), 110, 120)));
        db.jdbi().useHandle(h -> h.execute("UPDATE ingest_batch SET first_event_at = NULL, last_event_at = NULL WHERE pageview_id = ?", old));

        new Aggregator(db.jdbi(), AggregatorSettings.defaults().withBatchesPerRun(10)).drain();

        assertThat(site.pendingBatches()).isZero();
        // The earlier batches were marked aggregated without being counted: page_day holds the pending events alone.
        List<Long> counted = db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT coalesce(sum(clicks), 0), coalesce(sum(moves), 0) FROM page_day WHERE site_id = :site")
                .bind("site", site.siteId).map((rs, ctx) -> List.of(rs.getLong(1), rs.getLong(2))).one());
        assertThat(counted).containsExactly((long) PENDING_BATCHES, PENDING_BATCHES * 2L + 3);
        long hourClicks = db.jdbi().withHandle(h -> h.createQuery("SELECT sum(clicks) FROM page_hour WHERE site_id = :site")
                .bind("site", site.siteId).mapTo(Long.class).one());
        assertThat(hourClicks).isEqualTo(PENDING_BATCHES);
    }

    private static Claimed batch(Instant received, Instant first, Instant last) {
        return new Claimed(1, UUID.randomUUID(), 0, received, 1, null, first, last);
    }

    /** The pending batches of the fixture, as a claim reads them. */
    private static List<Claimed> claim() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT pageview_id, seq, received_at, event_count, first_event_at, last_event_at
                        FROM ingest_batch WHERE site_id = :site AND received_at >= :arrival AND received_at < :arrival + interval '20 seconds'
                        ORDER BY received_at""")
                .bind("site", site.siteId).bind("arrival", arrival.atOffset(ZoneOffset.UTC))
                .map((rs, ctx) -> new Claimed(site.siteId, rs.getObject(1, UUID.class), rs.getInt(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getInt(4), null,
                        rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getObject(6, OffsetDateTime.class).toInstant()))
                .list());
    }

    private static int eventsIn(EventWindow window) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM raw_event WHERE site_id = :site AND occurred_at >= :from AND occurred_at <= :to")
                .bind("site", site.siteId).bind("from", window.from().atOffset(ZoneOffset.UTC)).bind("to", window.to().atOffset(ZoneOffset.UTC))
                .mapTo(Integer.class).one());
    }

    private static List<String> plan(EventWindow window, List<Claimed> claimed) {
        String pageviews = claimed.stream().map(b -> b.pageviewId().toString()).collect(Collectors.joining(",", "{", "}"));
        return db.jdbi().withHandle(h -> h.createQuery("EXPLAIN (ANALYZE, COSTS OFF) " + window.select(site.siteId, pageviews))
                .mapTo(String.class).list());
    }

    /** Rows the plan's scans of raw_event looked at: those they returned and those their filters removed. */
    private static int rowsExamined(List<String> plan) {
        int rows = 0;
        for (String line : plan) {
            Matcher scan = SCAN_ROWS.matcher(line);
            if (scan.find()) rows += Integer.parseInt(scan.group(1));
            Matcher removed = REMOVED_ROWS.matcher(line);
            if (removed.find()) rows += Integer.parseInt(removed.group(1));
        }
        return rows;
    }
}
