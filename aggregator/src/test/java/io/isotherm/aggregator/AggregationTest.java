package io.isotherm.aggregator;

import io.isotherm.aggregator.EventFixture.Event;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.site.SiteDao;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.isotherm.aggregator.EventFixture.Event.click;
import static io.isotherm.aggregator.EventFixture.Event.move;
import static io.isotherm.aggregator.EventFixture.Event.scroll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Known events in, exact aggregates out, on a real PostgreSQL. */
class AggregationTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    /** 15:00 UTC three days ago: 10:00 (or 11:00 in summer) in New York, the same calendar day. */
    private static final Instant T0 = LocalDate.now(ZoneOffset.UTC).minusDays(3).atTime(15, 0).toInstant(ZoneOffset.UTC);
    private static final LocalDate DAY = T0.atZone(NEW_YORK).toLocalDate();
    /** The click_target rows of DAY alone: its parts, and its block's row that ends with it (V20). */
    private static final String DAY_ROWS = "(span = 0 OR span <= 16 AND first_day + span - 1 = '" + DAY + "') AND segment_id = 0";
    private static final int HOUR = T0.atZone(NEW_YORK).getHour();

    private Database db;
    private EventFixture fixture;
    private Aggregator aggregator;

    @BeforeEach
    void setUp() {
        db = TestPostgres.open();
        fixture = new EventFixture(db, "America/New_York");
        aggregator = new Aggregator(db.jdbi(), AggregatorSettings.defaults());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void fixed_clicks_low_in_the_window_keep_their_distance_from_its_bottom_on_the_screenshot_s_first_screen() {
        // A "back to top" button 50 px above the window's bottom, in windows 1,000 and 700 px tall and on a phone 740 px
        // tall; a fixed header 30 px below the top. The screenshots' windows are 900 px (desktop) and 844 px (phone).
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(10), List.of(
                click(T0, 700, 950, "#top", 0.5f, 0.5f).fixedInViewport().inWindowOfHeight(1000),
                click(T0.plusSeconds(1), 700, 650, "#top", 0.5f, 0.5f).fixedInViewport().inWindowOfHeight(700),
                click(T0.plusSeconds(2), 100, 30, "header>a", 0.5f, 0.5f).fixedInViewport().inWindowOfHeight(1000)));
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(10), List.of(
                click(T0, 195, 690, "#top", 0.5f, 0.5f).on("mobile", 390, 390).fixedInViewport().inWindowOfHeight(740)));
        aggregator.aggregatePending();

        assertThat(rows("SELECT device::text, selector, cx, cy, events FROM heat_cell_by_day")).containsExactlyInAnyOrder(
                tuple("desktop", "#top", 87, 106, 2),      // y = 900 − 50 = 850 from both windows
                tuple("desktop", "header>a", 12, 3, 1),    // y = 30, as in any window
                tuple("mobile", "#top", 24, 99, 1));       // y = 844 − 50 = 794
    }

    @Test
    void clicks_and_moves_land_in_exact_cells_of_the_device_layout() {
        UUID wide = UUID.randomUUID(), narrow = UUID.randomUUID(), phone = UUID.randomUUID();
        fixture.batch(narrow, 0, T0.plusSeconds(10), List.of(
                click(T0, 724, 1000, "#buy", 0.5f, 0.25f),
                click(T0.plusSeconds(1), 726, 1002, "#buy", 0.52f, 0.26f).raging(),
                click(T0.plusSeconds(2), 100, 30, "header>a", 0.1f, 0.9f).fixedInViewport(),
                click(T0.plusSeconds(3), 300, 2000, "main>img", 0.0f, 0.99f).dead(),
                move(T0.plusSeconds(4), 100, 100),
                move(T0.plusSeconds(5), 108, 100)));
        // A 1920 px wide window (1905 px document beside the scroll bar): the same centered button sits 238 px to the
        // right, and scales back onto it. A fixed element keeps its viewport spot, scaled by the viewport width.
        fixture.batch(wide, 0, T0.plusSeconds(10), List.of(
                click(T0, 962, 1000, "#buy", 0.5f, 0.25f).on("desktop", 1920, 1905),
                click(T0.plusSeconds(1), 133, 30, "header>a", 0.1f, 0.9f).on("desktop", 1920, 1905).fixedInViewport()));
        fixture.batch(phone, 0, T0.plusSeconds(10), List.of(move(T0, 195, 500).on("mobile", 390, 390)));

        Aggregator.Pass pass = aggregator.aggregatePending();

        assertThat(pass.batches()).isEqualTo(3);
        assertThat(pass.events()).isEqualTo(9);
        assertThat(fixture.pendingBatches()).isZero();
        assertThat(rows("SELECT device::text, kind::text, day::text, cell_size, selector, cx, cy, events FROM heat_cell_by_day")).containsExactlyInAnyOrder(
                tuple("desktop", "click", DAY.toString(), 8, "#buy", 90, 125, 3),
                tuple("desktop", "click", DAY.toString(), 8, "header>a", 12, 3, 2),
                tuple("desktop", "click", DAY.toString(), 8, "main>img", 37, 250, 1),
                tuple("desktop", "move", DAY.toString(), 8, "", 12, 12, 1),
                tuple("desktop", "move", DAY.toString(), 8, "", 13, 12, 1),
                tuple("mobile", "move", DAY.toString(), 8, "", 24, 62, 1));
        assertThat(rows("SELECT selector, bins, bx, by, clicks FROM click_anchor_by_day")).containsExactlyInAnyOrder(
                tuple("#buy", 16, 8, 4, 3),
                tuple("header>a", 16, 1, 14, 2),
                tuple("main>img", 16, 0, 15, 1));
        // The day's counts: its parts (span 0, V20), or, once refreshed, its block's row that ends with it (the only day
        // with counts). Within each bin, offsets in sixteenths of it (V15): at bin · 5, clicks, Σ x, Σ y, Σ x², Σ y² (zero sums left out).
        // #buy's bin (8, 4): offsets (0, 0) twice and (5, 2) (0.52 · 256 = 133.1, 0.26 · 256 = 66.6); header>a's bin
        // (1, 14): (9, 6) twice (25.6, 230.4); main>img's bin (0, 15): (0, 13) (253.4).
        assertThat(rows("SELECT selector, u.idx, u.n FROM click_target, unpack_counts(anchor_moments) u WHERE " + DAY_ROWS)).containsExactlyInAnyOrder(
                tuple("#buy", 360, 3), tuple("#buy", 361, 5), tuple("#buy", 362, 2), tuple("#buy", 363, 25), tuple("#buy", 364, 4),
                tuple("header>a", 1125, 2), tuple("header>a", 1126, 18), tuple("header>a", 1127, 12), tuple("header>a", 1128, 162),
                tuple("header>a", 1129, 72),
                tuple("main>img", 1200, 1), tuple("main>img", 1202, 13), tuple("main>img", 1204, 169));
        // The fixed clicks' cells apart (V16): header>a's two, none of the others'.
        assertThat(rows("SELECT selector, u.idx % 16384, u.idx / 16384, u.n FROM click_target, unpack_counts(fixed_cells) u WHERE " + DAY_ROWS))
                .containsExactly(tuple("header>a", 12, 3, 2));
        assertThat(rows("SELECT selector FROM click_target WHERE fixed_cells IS NULL AND " + DAY_ROWS)).isEmpty();
        assertThat(rows("SELECT device::text, selector, clicks, rage, dead FROM element_day")).containsExactlyInAnyOrder(
                tuple("desktop", "#buy", 3, 1, 0),
                tuple("desktop", "header>a", 2, 0, 0),
                tuple("desktop", "main>img", 1, 0, 1));
        assertThat(rows("SELECT device::text, day::text, pageviews, clicks, moves, document_height, document_width FROM page_day")).containsExactlyInAnyOrder(
                tuple("desktop", DAY.toString(), 2, 6, 2, 5000, 1905),
                tuple("mobile", DAY.toString(), 1, 0, 1, 5000, 390));
        assertThat(rows("SELECT day::text, hour, clicks, pageviews FROM page_hour")).containsExactly(
                tuple(DAY.toString(), HOUR, 6, 3));
    }

    @Test
    void the_day_and_hour_are_the_site_time_zone_s() {
        // 03:30 UTC is 22:30 (or 23:30) the evening before in New York.
        Instant lateEvening = LocalDate.now(ZoneOffset.UTC).minusDays(2).atTime(3, 30).toInstant(ZoneOffset.UTC);
        fixture.batch(UUID.randomUUID(), 0, lateEvening.plusSeconds(5), List.of(click(lateEvening, 10, 10, "#a", 0.5f, 0.5f)));

        aggregator.aggregatePending();

        LocalDate evening = lateEvening.atZone(NEW_YORK).toLocalDate();
        assertThat(evening).isNotEqualTo(lateEvening.atZone(ZoneOffset.UTC).toLocalDate());
        assertThat(rows("SELECT day::text, hour, clicks, pageviews FROM page_hour")).containsExactly(
                tuple(evening.toString(), lateEvening.atZone(NEW_YORK).getHour(), 1, 1));
        assertThat(rows("SELECT day::text FROM heat_cell_by_day")).containsExactly(tuple(evening.toString()));
    }

    @Test
    void a_page_view_counts_once_at_its_deepest_point_across_runs() {
        UUID reader = UUID.randomUUID(), glancer = UUID.randomUUID();
        fixture.batch(reader, 0, T0.plusSeconds(5), List.of(scroll(T0, 1500, null)));
        fixture.batch(glancer, 0, T0.plusSeconds(5), List.of(click(T0, 10, 10, "#logo", 0.5f, 0.5f)));
        aggregator.aggregatePending();

        assertThat(histogram("scroll_depth_percent", "percent")).containsExactlyInAnyOrder(tuple(18, 1), tuple(30, 1));
        assertThat(histogram("scroll_depth_px", "bucket")).containsExactlyInAnyOrder(tuple(18, 1), tuple(30, 1));

        // The reader's next batch: deeper. It moves from the 30 % bucket to the 80 % one; still one page view.
        fixture.batch(reader, 1, T0.plusSeconds(65), List.of(scroll(T0.plusSeconds(60), 4000, null)));
        aggregator.aggregatePending();

        assertThat(histogram("scroll_depth_percent", "percent")).containsExactlyInAnyOrder(tuple(18, 1), tuple(80, 1));
        assertThat(histogram("scroll_depth_px", "bucket")).containsExactlyInAnyOrder(tuple(18, 1), tuple(80, 1));
        assertThat(histogram("viewport_height", "bucket")).containsExactly(tuple(18, 2));
        assertThat(rows("SELECT pageviews FROM page_day")).containsExactly(tuple(2));
        assertThat(rows("SELECT sum(pageviews)::int FROM page_hour")).containsExactly(tuple(2));
    }

    @Test
    void a_timed_depth_sample_gives_its_time_to_every_band_in_the_viewport() {
        // Viewport bottom at 1800 px, 900 px tall: 900–1800 visible, 18 bands of 50 px.
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(5), List.of(scroll(T0, 1800, 3000)));
        aggregator.aggregatePending();

        List<Tuple> bands = rows("SELECT band, visible_ms FROM attention_band ORDER BY band");
        assertThat(bands).hasSize(18);
        assertThat(bands.get(0)).isEqualTo(tuple(18, 3000L));
        assertThat(bands.get(17)).isEqualTo(tuple(35, 3000L));
        assertThat(bands).allSatisfy(b -> assertThat(b.toList().get(1)).isEqualTo(3000L));
    }

    @Test
    void late_events_for_an_aggregated_day_are_added_and_a_late_commit_is_not_missed() {
        UUID first = UUID.randomUUID();
        fixture.batch(first, 0, T0.plusSeconds(5), List.of(click(T0, 724, 1000, "#buy", 0.5f, 0.5f)));
        aggregator.aggregatePending();

        // A batch committed after the first run but received (and so ordered) before it, with an event of that day,
        // and a batch of today carrying an event from 20 hours before.
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(1), List.of(click(T0, 724, 1000, "#buy", 0.5f, 0.5f)));
        Instant now = Instant.now();
        Instant twentyHoursAgo = now.minusSeconds(20 * 3600);
        fixture.batch(UUID.randomUUID(), 0, now, List.of(click(twentyHoursAgo, 724, 1000, "#buy", 0.5f, 0.5f)));
        Aggregator.Pass pass = aggregator.aggregatePending();

        assertThat(pass.batches()).isEqualTo(2);
        assertThat(rows("SELECT day::text, events FROM heat_cell_by_day WHERE day = '" + DAY + "'")).containsExactly(tuple(DAY.toString(), 2));
        assertThat(rows("SELECT sum(events)::int FROM heat_cell_by_day WHERE day = '" + twentyHoursAgo.atZone(NEW_YORK).toLocalDate() + "'"))
                .containsExactly(tuple(twentyHoursAgo.atZone(NEW_YORK).toLocalDate().equals(DAY) ? 3 : 1));
        assertThat(aggregator.aggregatePending().batches()).isZero();
    }

    @Test
    void a_batch_whose_events_span_hours_before_its_arrival_is_counted_once_each_however_its_events_are_read() {
        // Read in two steps (a recent range of occurred_at, then older events by key): events on both sides of the
        // boundary, exactly on it, and a second batch of the same page view that is not part of the claim.
        UUID pageview = UUID.randomUUID();
        Instant received = Instant.now().minusSeconds(60);
        List<EventFixture.Event> events = new java.util.ArrayList<>();
        for (long secondsBefore : new long[]{5, 599, 600, 601, 3 * 3600, 23 * 3600}) {
            events.add(click(received.minusSeconds(secondsBefore), 724, 1000, "#buy", 0.5f, 0.5f));
        }
        fixture.batch(pageview, 0, received, events);
        fixture.batch(pageview, 1, received.plusSeconds(1), List.of(click(received.minusSeconds(2), 724, 1000, "#buy", 0.5f, 0.5f)));
        aggregator = new Aggregator(db.jdbi(), AggregatorSettings.defaults().withBatchesPerRun(1));

        assertThat(aggregator.aggregatePending().batches()).isEqualTo(2);
        assertThat(rows("SELECT sum(events)::int FROM heat_cell_by_day")).containsExactly(tuple(7));
        assertThat(rows("SELECT sum(clicks)::int FROM element_day")).containsExactly(tuple(7));
        assertThat(rows("SELECT sum(clicks)::int FROM click_anchor_by_day")).containsExactly(tuple(7));
    }

    @Test
    void selectors_with_copy_s_special_characters_and_beyond_ascii_are_stored_as_they_came() {
        // Tabs, newlines and backslashes are COPY's own syntax; é is two bytes in UTF-8, the emoji a surrogate pair.
        List<String> selectors = List.of("a[title=\"x\ty\"]", "p\\:hover", "div\n>b", "#café", "[data-i=\"🔥\"]");
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < selectors.size(); i++) events.add(click(T0.plusSeconds(i), 10 + 20 * i, 40, selectors.get(i), 0.5f, 0.5f));
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(30), events);
        aggregator.aggregatePending();

        assertThat(rows("SELECT selector FROM click_target WHERE " + DAY_ROWS).stream().map(t -> (String) t.toList().get(0)))
                .containsExactlyInAnyOrderElementsOf(selectors);
        assertThat(rows("SELECT selector, clicks FROM element_day").stream().map(t -> (String) t.toList().get(0)))
                .containsExactlyInAnyOrderElementsOf(selectors);
    }

    @Test
    void a_run_whose_count_grids_fill_many_chunks_of_copy_stores_every_row() {
        // 3,000 elements and 3,000 bands of moves: far more than one chunk of each COPY.
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            events.add(click(T0.plusMillis(i), 100, 40 * i, "#element-" + i, 0.5f, 0.5f));
            events.add(move(T0.plusMillis(i), 200, 33 * i));
        }
        for (int from = 0; from < events.size(); from += 500) {
            fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(30), events.subList(from, from + 500));
        }
        aggregator.aggregatePending();

        assertThat(rows("SELECT count(*)::int, sum(clicks)::int FROM click_anchor_by_day")).containsExactly(tuple(3000, 3000));
        assertThat(rows("SELECT sum(events)::int FROM heat_cell_by_day WHERE kind = 'move'")).containsExactly(tuple(3000));
        assertThat(rows("SELECT count(DISTINCT selector)::int FROM click_target WHERE " + DAY_ROWS)).containsExactly(tuple(3000));
    }

    @Test
    void a_site_removed_before_its_batches_are_aggregated_counts_for_nobody() {
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(5), List.of(click(T0, 1, 1, "#a", 0.5f, 0.5f)));
        db.jdbi().useHandle(h -> h.execute("DELETE FROM site")); // as if removed between the collector's commit and now

        assertThat(aggregator.aggregatePending().batches()).isEqualTo(1);
        assertThat(fixture.pendingBatches()).isZero();
        assertThat(rows("SELECT count(*)::int FROM heat_cell_by_day")).containsExactly(tuple(0));
    }

    @Test
    void removing_a_site_removes_its_aggregates() {
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(5), List.of(click(T0, 1, 1, "#a", 0.5f, 0.5f), scroll(T0, 2000, 1500)));
        aggregator.aggregatePending();
        assertThat(fixture.snapshot()).isNotEmpty();

        String key = db.jdbi().withHandle(h -> h.createQuery("SELECT public_key FROM site").mapTo(String.class).one());
        assertThat(new SiteDao(db.jdbi()).remove(key)).isTrue();

        assertThat(fixture.snapshot()).isEmpty();
    }

    private List<Tuple> histogram(String table, String bucket) {
        return rows("SELECT " + bucket + "::int, sum(pageviews)::int FROM " + table + " GROUP BY 1 HAVING sum(pageviews) <> 0");
    }

    /** Rows as lists of column values (smallints as Integer), for tuple assertions. */
    private List<Tuple> rows(String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).map((rs, ctx) -> {
            List<Object> row = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                Object value = rs.getObject(i);
                row.add(value instanceof Short s ? Integer.valueOf(s) : value);
            }
            return new Tuple(row.toArray());
        }).list());
    }
}
