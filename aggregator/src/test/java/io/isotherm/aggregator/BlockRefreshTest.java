package io.isotherm.aggregator;

import io.isotherm.aggregator.EventFixture.Event;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.event.RawEventPartitions;
import io.isotherm.grid.DayBlocks;
import io.isotherm.grid.DayBlocks.Block;
import io.isotherm.grid.GridGeometry;
import io.isotherm.grid.GridRows;
import io.isotherm.grid.Heatmap;
import io.isotherm.grid.HeatmapQuery;
import io.isotherm.grid.Layouts;
import io.isotherm.testing.StoredTraffic;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.isotherm.aggregator.EventFixture.Event.click;
import static io.isotherm.aggregator.EventFixture.Event.clickOnNothing;
import static io.isotherm.aggregator.EventFixture.Event.move;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Count grids appended as parts and added to the prefix rows by the refresh (V12, V20): whatever the refresh has or
 * has not done yet, and while it runs beside the aggregation, every heatmap holds exactly the events of its days.
 */
class BlockRefreshTest {
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    /** The first day of a 256-day block, in the past: the 40 days of traffic run from 8 days before it to 31 after. */
    private static final LocalDate BASE = DayBlocks.start(256, TODAY.minusDays(64));
    private static final LocalDate FIRST = BASE.minusDays(8), LAST = BASE.plusDays(31);
    private static final List<String> DEVICES = List.of("desktop", "mobile");
    private static final List<String> KINDS = List.of("click", "move");
    private static final int CELL = 8, BINS = 16, STEPS = 16, DOCUMENT_HEIGHT = 5000;
    private static final Map<String, List<Layouts.Box>> LAYOUTS = Map.of(
            "desktop", List.of(new Layouts.Box("#buy", 600, 1000, 240, 48), new Layouts.Box("#nav", 0, 0, 1440, 64)),
            "mobile", List.of(new Layouts.Box("#buy", 20, 800, 350, 60)));
    /**
     * #nav is known on desktop only; #gone on neither: their clicks are not drawn, but counted as not drawn, except
     * fixed ones (some of #gone's on desktop), drawn from their cells.
     */
    private static final String[] SELECTORS = {"#buy", "#nav", "#gone"};

    private Database db;
    private EventFixture fixture;
    private HeatmapQuery query;
    private final List<Batch> sent = new ArrayList<>();

    record Batch(UUID pageview, Instant receivedAt, String device, LocalDate day, List<Event> events) {}

    record Range(LocalDate from, LocalDate to) {
        static Range of(LocalDate from, LocalDate to) {
            return new Range(from, to);
        }

        boolean holds(LocalDate day) {
            return !day.isBefore(from) && !day.isAfter(to);
        }
    }

    /** 1 to 512 days; single days, blocks exactly, ranges across 4-, 16-, 64- and 256-day boundaries, empty days. */
    private static final List<Range> RANGES = List.of(
            Range.of(FIRST, FIRST), Range.of(BASE.minusDays(1), BASE.minusDays(1)), Range.of(BASE, BASE),
            Range.of(BASE.plusDays(17), BASE.plusDays(17)), Range.of(LAST, LAST), Range.of(LAST.plusDays(9), LAST.plusDays(9)),
            Range.of(BASE.minusDays(3), BASE.plusDays(3)), Range.of(BASE.plusDays(5), BASE.plusDays(11)),
            Range.of(FIRST, FIRST.plusDays(29)), Range.of(BASE.plusDays(2), LAST), Range.of(FIRST, LAST),
            Range.of(BASE, BASE.plusDays(15)), Range.of(BASE.plusDays(16), LAST), Range.of(BASE.minusDays(13), BASE.plusDays(22)),
            Range.of(BASE, BASE.plusDays(63)), Range.of(BASE.minusDays(64), BASE.plusDays(63)),
            Range.of(BASE.minusDays(256), BASE.plusDays(255)), Range.of(BASE.minusDays(200), BASE.plusDays(199)));

    @BeforeEach
    void setUp() {
        db = TestPostgres.open();
        fixture = new EventFixture(db, "UTC");
        query = new HeatmapQuery(db.jdbi(), GridGeometry.defaults());
        new RawEventPartitions(db.jdbi(), 2).ensure(FIRST.minusDays(2), 45);
        db.jdbi().useTransaction(h -> LAYOUTS.forEach((device, boxes) ->
                Layouts.replace(h, fixture.siteId, fixture.pageId, device, boxes, Instant.now())));
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void heatmaps_count_every_part_before_the_refresh_and_are_unchanged_by_it() {
        send(fixture, traffic(new Random(42), FIRST, 40, 5, ZoneOffset.UTC));
        new Aggregator(db.jdbi(), settings(2)).drain();

        assertThat(fixture.pendingBatches()).isZero();
        assertThat(daysWithSeveralParts("heat_tile", "kind, band")).as("days and bands with several parts").isGreaterThan(20);
        assertThat(daysWithSeveralParts("click_target", "selector")).as("days and targets with several parts").isGreaterThan(20);
        assertThat(cellsByDay()).isNotEmpty().isEqualTo(expectedCellsByDay());
        assertThat(anchorsByDay()).isNotEmpty().isEqualTo(expectedAnchorsByDay());
        List<String> views = fixture.snapshot();
        Map<String, Heatmap> before = heatmaps(RANGES);
        assertMatchModel(before);

        int refreshed = new Aggregator(db.jdbi(), settings(2)).refresh().blocks();

        assertThat(refreshed).isPositive();
        assertThat(marks()).isZero();
        assertThat(ints("SELECT count(*)::int FROM heat_tile WHERE span = 0")).as("parts left").containsExactly(0);
        assertThat(ints("SELECT count(*)::int FROM click_target WHERE span = 0")).as("parts left").containsExactly(0);
        assertThat(ints("SELECT count(*) FROM heat_tile GROUP BY site_id, page_id, device, kind, span, first_day, band HAVING count(*) > 1"))
                .as("rows of a band with more than one part").isEmpty();
        assertThat(ints("SELECT count(*) FROM click_target GROUP BY site_id, page_id, device, span, first_day, selector HAVING count(*) > 1"))
                .as("rows of a target with more than one part").isEmpty();
        for (String table : List.of("heat_tile", "click_target")) {
            // Every row is in a chain: a block's days from its first day, or an epoch's blocks from its first day.
            assertThat(ints("""
                    SELECT count(*)::int FROM %s
                    WHERE NOT ((span BETWEEN 1 AND 16 AND (first_day - date '1970-01-01') %% 16 = 0)
                            OR (span %% 16 = 0 AND span <= 256 AND (first_day - date '1970-01-01') %% 256 = 0))""".formatted(table)))
                    .as("rows of %s in no chain", table).containsExactly(0);
            assertThat(spans(table)).as("spans of %s", table).contains(1, 16, 32, 256);
        }
        assertRowsHoldTheirDays(db);
        assertThat(cellsByDay()).isEqualTo(expectedCellsByDay());
        assertThat(anchorsByDay()).isEqualTo(expectedAnchorsByDay());
        assertThat(fixture.snapshot()).isEqualTo(views);
        // The epoch before BASE had traffic in its last block: its chain reaches 256 days; BASE's epoch, its first two blocks.
        assertThat(rowSpans("desktop", "move", BASE.minusDays(256))).contains(256);
        assertThat(rowSpans("desktop", "move", BASE)).contains(16, 32).allMatch(span -> span <= 32);
        Map<String, Heatmap> after = heatmaps(RANGES);
        before.forEach((what, map) -> assertSameHeatmap(after.get(what), map, what));
    }

    @Test
    void late_counts_are_read_from_their_parts_until_the_refresh_adds_them_to_every_row_that_holds_their_day() {
        send(fixture, traffic(new Random(7), FIRST, 40, 5, ZoneOffset.UTC));
        Aggregator aggregator = new Aggregator(db.jdbi(), settings(2));
        aggregator.drain();
        aggregator.refresh();
        LocalDate day = BASE.plusDays(20);
        // The day is in its block's rows from the 5th day on, and in the epoch's rows from the second block on.
        Block blockRow = new Block(16, BASE.plusDays(16)), epochRow = new Block(32, BASE);
        List<Range> ranges = List.of(Range.of(day, day), Range.of(blockRow.first(), blockRow.last()), Range.of(BASE, BASE.plusDays(63)),
                Range.of(FIRST, LAST), Range.of(BASE.minusDays(256), BASE.plusDays(255)), Range.of(BASE.minusDays(200), BASE.plusDays(199)),
                Range.of(day.plusDays(1), LAST), Range.of(BASE.plusDays(17), BASE.plusDays(20)));
        Map<String, Heatmap> built = heatmaps(ranges);
        long blockMovesBefore = rowTotal("desktop", "move", blockRow), epochMovesBefore = rowTotal("desktop", "move", epochRow);
        assertThat(blockMovesBefore).as("moves in the block's row").isPositive();
        assertThat(epochMovesBefore).as("moves in the epoch's row").isGreaterThan(blockMovesBefore);

        // Three moves on one cell, two clicks on #buy's middle, one on nothing, and a move on mobile: not refreshed.
        Instant noon = day.atTime(12, 0).toInstant(ZoneOffset.UTC);
        List<Batch> late = List.of(
                new Batch(UUID.randomUUID(), noon.plusSeconds(5), "desktop", day, List.of(move(noon, 804, 2404),
                        move(noon.plusMillis(1), 805, 2405), move(noon.plusMillis(2), 806, 2406), click(noon.plusMillis(3), 700, 1020, "#buy", 0.5f, 0.5f),
                        click(noon.plusMillis(4), 710, 1021, "#buy", 0.5f, 0.5f), clickOnNothing(noon.plusMillis(5), 100, 100))),
                new Batch(UUID.randomUUID(), noon.plusSeconds(9), "mobile", day, List.of(move(noon, 50, 50).on("mobile", 390, 390))));
        send(fixture, late);
        aggregator.drain();

        assertThat(fixture.pendingBatches()).isZero();
        assertThat(marked("desktop", "move", day)).isTrue();
        assertThat(parts("desktop", "move", day)).isPositive();
        assertThat(rowTotal("desktop", "move", blockRow)).as("the block's row, before the refresh").isEqualTo(blockMovesBefore);
        assertThat(rowTotal("desktop", "move", epochRow)).as("the epoch's row, before the refresh").isEqualTo(epochMovesBefore);
        Map<String, Heatmap> pending = heatmaps(ranges);
        assertMatchModel(pending);
        for (Range r : ranges) {
            int added = r.holds(day) ? 1 : 0;
            Heatmap moves = pending.get(name("desktop", "move", r)), movesBefore = built.get(name("desktop", "move", r));
            assertThat(moves.total()).isEqualTo(movesBefore.total() + 3 * added);
            assertThat(count(moves, 100, 300)).isEqualTo(count(movesBefore, 100, 300) + 3 * added);
            Heatmap clicks = pending.get(name("desktop", "click", r)), clicksBefore = built.get(name("desktop", "click", r));
            // #buy's bin (8, 8) of 16: x = 600 + 8.5/16·240 = 727.5, y = 1000 + 8.5/16·48 = 1025.5: cell (90, 128).
            assertThat(count(clicks, 90, 128)).isEqualTo(count(clicksBefore, 90, 128) + 2 * added);
            assertThat(count(clicks, 12, 12)).isEqualTo(count(clicksBefore, 12, 12) + added);
            assertThat(clicks.total()).isEqualTo(clicksBefore.total() + 3 * added);
        }

        aggregator.refresh();

        assertThat(marks()).isZero();
        assertThat(parts("desktop", "move", day)).isZero();
        assertThat(rowTotal("desktop", "move", blockRow)).isEqualTo(blockMovesBefore + 3);
        assertThat(rowTotal("desktop", "move", epochRow)).isEqualTo(epochMovesBefore + 3);
        assertRowsHoldTheirDays(db);
        Map<String, Heatmap> refreshed = heatmaps(ranges);
        pending.forEach((what, map) -> assertSameHeatmap(refreshed.get(what), map, what));
    }

    @Test
    void two_aggregators_and_two_refreshers_at_once_give_what_one_aggregation_and_one_refresh_give() throws Exception {
        Database reference = TestPostgres.open();
        try {
            EventFixture expected = new EventFixture(reference, "Europe/Berlin");
            new RawEventPartitions(reference.jdbi(), 2).ensure(FIRST.minusDays(2), 45);
            reference.jdbi().useTransaction(h -> LAYOUTS.forEach((device, boxes) ->
                    Layouts.replace(h, expected.siteId, expected.pageId, device, boxes, Instant.now())));
            db.jdbi().useHandle(h -> h.execute("UPDATE site SET time_zone = 'Europe/Berlin' WHERE site_id = ?", fixture.siteId));
            List<Batch> backlog = traffic(new Random(2026), FIRST, 40, 7, ZoneId.of("Europe/Berlin"));
            send(expected, backlog);
            send(fixture, backlog);
            assertThat(backlog.stream().mapToInt(b -> b.events().size()).sum()).isGreaterThan(2500);
            new Aggregator(reference.jdbi(), settings(1000)).aggregatePending();

            AtomicBoolean aggregating = new AtomicBoolean(true);
            AtomicInteger refreshedWhileAggregating = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(5);
            List<Future<?>> aggregators = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                aggregators.add(pool.submit(() -> {
                    Aggregator aggregator = new Aggregator(db.jdbi(), settings(4));
                    while (fixture.pendingBatches() > 0) aggregator.drain();
                }));
            }
            List<Future<?>> refreshers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                refreshers.add(pool.submit(() -> {
                    Aggregator refresher = new Aggregator(db.jdbi(), settings(4));
                    while (aggregating.get()) {
                        int blocks = refresher.refresh().blocks();
                        if (aggregating.get()) refreshedWhileAggregating.addAndGet(blocks);
                        if (blocks == 0) Thread.sleep(5);
                    }
                    return null;
                }));
            }
            // Meanwhile a reader: in any one snapshot, a heatmap holds exactly the clicks or moves that page_day counts.
            List<String> inconsistent = new ArrayList<>();
            AtomicInteger reads = new AtomicInteger();
            Future<?> reader = pool.submit(() -> {
                List<Range> ranges = List.of(Range.of(FIRST, LAST), Range.of(BASE, BASE.plusDays(15)), Range.of(BASE.minusDays(256), BASE.plusDays(255)));
                while (aggregating.get()) {
                    for (Range r : ranges) {
                        for (String kind : KINDS) {
                            String seen = db.jdbi().inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
                                Heatmap map = query.heatmap(h, fixture.siteId, fixture.pageId, "desktop", kind, r.from(), r.to(), 8.0, false);
                                long total = map.total() + map.notDrawn();
                                long counted = h.createQuery("SELECT coalesce(sum(" + kind + "s), 0) FROM page_day WHERE device = 'desktop' AND day BETWEEN :from AND :to")
                                        .bind("from", r.from()).bind("to", r.to()).mapTo(Long.class).one();
                                return total == counted ? null : name("desktop", kind, r) + ": heatmap " + total + ", page_day " + counted;
                            });
                            if (seen != null) inconsistent.add(seen);
                            reads.incrementAndGet();
                        }
                    }
                }
            });
            for (Future<?> f : aggregators) f.get(120, TimeUnit.SECONDS);
            aggregating.set(false);
            for (Future<?> f : refreshers) f.get(120, TimeUnit.SECONDS);
            reader.get(120, TimeUnit.SECONDS);
            pool.shutdown();
            assertThat(reads.get()).as("heatmaps read during the aggregation").isPositive();
            assertThat(inconsistent).as("heatmaps that disagree with page_day in their own snapshot").isEmpty();
            new Aggregator(db.jdbi(), settings(3)).refresh();

            assertThat(refreshedWhileAggregating.get()).as("blocks refreshed while the aggregators ran").isPositive();
            assertThat(fixture.pendingBatches()).isZero();
            assertThat(marks()).isZero();
            assertThat(fixture.snapshot()).isNotEmpty().isEqualTo(expected.snapshot());
            assertThat(blockContents(db)).isNotEmpty().isEqualTo(blockContents(reference));
            assertRowsHoldTheirDays(db);
            HeatmapQuery referenceQuery = new HeatmapQuery(reference.jdbi(), GridGeometry.defaults());
            for (Range r : List.of(Range.of(FIRST, LAST), Range.of(BASE, BASE), Range.of(BASE.minusDays(5), BASE.plusDays(20)),
                    Range.of(BASE.minusDays(256), BASE.plusDays(255)), Range.of(BASE.minusDays(200), BASE.plusDays(199)))) {
                for (String device : DEVICES) {
                    for (String kind : KINDS) {
                        Heatmap want = referenceQuery.computed(expected.siteId, expected.pageId, device, kind, r.from(), r.to(), null, true);
                        Heatmap got = query.computed(fixture.siteId, fixture.pageId, device, kind, r.from(), r.to(), null, true);
                        assertThat(got.total()).as("%s has events", name(device, kind, r)).isPositive();
                        assertSameHeatmap(got, want, name(device, kind, r));
                    }
                }
            }
        } finally {
            reference.close();
        }
    }

    @Test
    void a_segment_s_counts_become_one_row_per_day_holding_exactly_its_events() {
        // One visitor segment's page views: three on one day, each aggregated in its own run (three parts), and one the
        // next day (one part); every page view's counts go to the prefix rows as usual.
        StoredTraffic.Visit spring = StoredTraffic.Visit.DIRECT.referrer("search").campaign("news", "email", "spring");
        LocalDate day = BASE.plusDays(3);
        Aggregator aggregator = new Aggregator(db.jdbi(), settings(10));
        int n = 0;
        for (LocalDate d : List.of(day, day, day, day.plusDays(1))) {
            Instant at = d.atTime(10, n).toInstant(ZoneOffset.UTC);
            fixture.batch(UUID.randomUUID(), 0, at.plusSeconds(5), List.of(move(at, 100 + n, 100), move(at.plusMillis(1), 108, 2000 + n),
                    click(at.plusMillis(2), 700, 1020, "#buy", 0.5f, 0.5f), clickOnNothing(at.plusMillis(3), 16, 16)), spring);
            aggregator.drain();
            n++;
        }
        int segment = db.jdbi().withHandle(h -> h.createQuery("SELECT segment_id FROM segment WHERE utm_campaign = 'spring'").mapTo(Integer.class).one());
        assertThat(ints("SELECT count(*)::int FROM heat_tile WHERE segment_id = " + segment + " AND span = 0 AND first_day = '" + day + "' AND kind = 'move'"))
                .as("parts of the segment's moves on the day").containsExactly(3); // 3 runs, each one row of all its bands
        assertThat(ints("SELECT DISTINCT band FROM heat_tile WHERE segment_id = " + segment)).as("a segment's rows hold every band")
                .containsExactly(GridRows.EVERY_BAND);
        assertThat(ints("SELECT count(*)::int FROM segment_click_day WHERE segment_id = " + segment + " AND span = 0 GROUP BY day ORDER BY day"))
                .as("parts of the segment's clicks on targets per day").containsExactly(3, 1);
        Range range = Range.of(day, day.plusDays(1));
        Map<String, Heatmap> before = new TreeMap<>();
        for (String kind : KINDS) {
            before.put(kind, db.jdbi().inTransaction(h -> query.heatmap(h, fixture.siteId, fixture.pageId, "desktop", kind, range.from(), range.to(),
                    8.0, true, new int[] {segment})));
        }
        assertThat(before.get("move").total()).isEqualTo(8);
        assertThat(before.get("click").total()).isEqualTo(8);
        assertThat(before.get("click").pageviews()).isEqualTo(4);

        aggregator.refresh();

        assertThat(ints("SELECT count(*)::int FROM heat_tile WHERE span = 0")).containsExactly(0);
        assertThat(ints("SELECT count(*)::int FROM click_target WHERE span = 0")).containsExactly(0);
        // One row per day and kind (tiles, every band in it), each a single day.
        assertThat(ints("SELECT DISTINCT span FROM heat_tile WHERE segment_id = " + segment)).containsExactly(1);
        assertThat(ints("SELECT count(*)::int FROM heat_tile WHERE segment_id = " + segment + " GROUP BY first_day, kind, band HAVING count(*) > 1")).isEmpty();
        // A segment's clicks on targets: a row per day holding all its elements (V21), none in click_target or element_day.
        assertThat(ints("SELECT count(*)::int FROM segment_click_day WHERE span = 0")).containsExactly(0);
        List<String> rows = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT concat_ws(' ', day, span, selectors, clicks) FROM segment_click_day WHERE segment_id = :segment ORDER BY day""")
                .bind("segment", segment).mapTo(String.class).list());
        assertThat(rows).containsExactly(day + " 1 {#buy} {3}", day.plusDays(1) + " 1 {#buy} {1}");
        assertThat(ints("SELECT count(*)::int FROM click_target WHERE segment_id <> 0")).containsExactly(0);
        assertThat(ints("SELECT count(*)::int FROM element_day WHERE segment_id <> 0")).containsExactly(0);
        assertThat(ints("""
                SELECT sum(u.n)::int FROM heat_tile, unpack_counts(cells) u WHERE segment_id = %d AND kind = 'move' GROUP BY first_day ORDER BY first_day"""
                .formatted(segment))).containsExactly(6, 2);
        for (String kind : KINDS) {
            Heatmap after = db.jdbi().inTransaction(h -> query.heatmap(h, fixture.siteId, fixture.pageId, "desktop", kind, range.from(), range.to(),
                    8.0, true, new int[] {segment}));
            assertSameHeatmap(after, before.get(kind), kind);
        }
    }

    private static AggregatorSettings settings(int batchesPerRun) {
        return AggregatorSettings.defaults().withBatchesPerRun(batchesPerRun);
    }

    /**
     * {@code perDay} page views a day, each one batch on desktop or mobile of 6 to 14 events: moves, clicks on the
     * three selectors (with an in-box position), clicks on nothing. Documents are as wide as the layout and 5000 px
     * tall, so a cell is (x / 8, y / 8).
     */
    private static List<Batch> traffic(Random random, LocalDate first, int days, int perDay, ZoneId zone) {
        List<Batch> batches = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            LocalDate day = first.plusDays(d);
            for (int i = 0; i < perDay; i++) {
                String device = DEVICES.get(random.nextInt(2));
                int width = GridGeometry.defaults().layoutWidth(device);
                Instant at = day.atTime(i * 24 / perDay, random.nextInt(50)).atZone(zone).toInstant();
                List<Event> events = new ArrayList<>();
                for (int n = 6 + random.nextInt(9); events.size() < n; ) {
                    Instant t = at.plusMillis(events.size() * 100L);
                    int x = random.nextInt(width), y = random.nextInt(DOCUMENT_HEIGHT);
                    Event e = switch (random.nextInt(5)) {
                        case 0, 1 -> move(t, x, y);
                        case 2 -> clickOnNothing(t, x, y);
                        default -> {
                            String selector = SELECTORS[random.nextInt(SELECTORS.length)];
                            Event click = click(t, x, y, selector, random.nextFloat(), random.nextFloat());
                            // Half of #gone's on desktop fixed, decided without drawing from random (the rest of the
                            // traffic stays as it was). The window is 900 px, as the screenshot's: a fixed click stays
                            // in its page cell.
                            yield selector.equals("#gone") && device.equals("desktop") && (x + y) % 2 == 0 ? click.fixedInViewport() : click;
                        }
                    };
                    events.add(e.on(device, width, width));
                }
                batches.add(new Batch(new UUID(random.nextLong(), random.nextLong()), at.plusSeconds(5), device, day, events));
            }
        }
        return batches;
    }

    private void send(EventFixture to, List<Batch> batches) {
        batches.forEach(b -> to.batch(b.pageview(), 0, b.receivedAt(), b.events()));
        if (to == fixture) sent.addAll(batches);
    }

    // The model: where each sent event must be counted, worked out from the events and the layouts alone.

    private static Layouts.Box box(String device, String selector) {
        return LAYOUTS.get(device).stream().filter(b -> b.selector().equals(selector)).findFirst().orElse(null);
    }

    private static int bin(float fraction) {
        return Math.min((int) (fraction * BINS), BINS - 1);
    }

    /** In sixteenths of a bin: where inside its bin a click landed is kept too (V15). */
    private static int fine(float fraction) {
        return Math.min((int) (fraction * BINS * STEPS), BINS * STEPS - 1);
    }

    /** What a heatmap of the model must show. */
    private record Expected(int columns, int rows, int[] counts, long total, long pageviews, long notDrawn) {}

    private Expected expected(String device, String kind, Range range) {
        int width = GridGeometry.defaults().layoutWidth(device);
        boolean anyDay = sent.stream().anyMatch(b -> b.device().equals(device) && range.holds(b.day()));
        int layoutBottom = kind.equals("click") ? LAYOUTS.get(device).stream().mapToInt(b -> b.y() + b.height()).max().orElse(0) : 0;
        int columns = (width + CELL - 1) / CELL, rows = (Math.max(anyDay ? DOCUMENT_HEIGHT : 0, layoutBottom) + CELL - 1) / CELL;
        int[] counts = new int[columns * rows];
        long total = 0, pageviews = 0, notDrawn = 0;
        // Clicks on a layout's box, by selector and in-box bin: clicks, Σ fine x, Σ fine y (sixteenths of a bin).
        Map<String, long[]> bins = new TreeMap<>();
        for (Batch b : sent) {
            if (!b.device().equals(device) || !range.holds(b.day())) continue;
            pageviews++;
            for (Event e : b.events()) {
                if (!e.kind().equals(kind)) continue;
                if (e.selector() != null && box(device, e.selector()) == null && !e.fixed()) {
                    notDrawn++;
                    continue;
                }
                total++;
                if (e.selector() != null && box(device, e.selector()) != null) {
                    int fx = fine(e.boxX()), fy = fine(e.boxY());
                    long[] sums = bins.computeIfAbsent(e.selector() + "\n" + fx / STEPS + " " + fy / STEPS, k -> new long[3]);
                    sums[0]++;
                    sums[1] += fx;
                    sums[2] += fy;
                    continue;
                }
                // Elsewhere in the cell of its page position.
                int c = Math.min(Math.max(e.x() / CELL, 0), columns - 1), r = Math.min(Math.max(e.y() / CELL, 0), rows - 1);
                counts[r * columns + c]++;
            }
        }
        // A bin's clicks are counted in the cell of their mean position on the box.
        bins.forEach((key, sums) -> {
            Layouts.Box box = box(device, key.substring(0, key.indexOf('\n')));
            double x = box.x() + (sums[1] / (double) sums[0] + 0.5) / (BINS * STEPS) * box.width();
            double y = box.y() + (sums[2] / (double) sums[0] + 0.5) / (BINS * STEPS) * box.height();
            int c = (int) Math.min(Math.max(x / CELL, 0), columns - 1), r = (int) Math.min(Math.max(y / CELL, 0), rows - 1);
            counts[r * columns + c] += (int) sums[0];
        });
        return new Expected(columns, rows, counts, total, pageviews, notDrawn);
    }

    /** heat_cell_by_day as the model has it: every click and move in its day's cell, clicks under their selector. */
    private List<String> expectedCellsByDay() {
        Map<String, Integer> cells = new TreeMap<>();
        for (Batch b : sent) {
            for (Event e : b.events()) {
                String selector = e.selector() == null ? "" : e.selector();
                cells.merge(String.join(" ", b.device(), e.kind(), b.day().toString(), selector, e.x() / CELL + "", e.y() / CELL + ""), 1, Integer::sum);
            }
        }
        return cells.entrySet().stream().map(c -> c.getKey() + " " + c.getValue()).sorted().toList();
    }

    private List<String> expectedAnchorsByDay() {
        Map<String, Integer> anchors = new TreeMap<>();
        for (Batch b : sent) {
            for (Event e : b.events()) {
                if (e.selector() == null) continue;
                anchors.merge(String.join(" ", b.device(), b.day().toString(), e.selector(), bin(e.boxX()) + "", bin(e.boxY()) + ""), 1, Integer::sum);
            }
        }
        return anchors.entrySet().stream().map(a -> a.getKey() + " " + a.getValue()).sorted().toList();
    }

    private List<String> cellsByDay() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT concat_ws(' ', device, kind, day, selector, cx, cy, events) FROM heat_cell_by_day WHERE cell_size = 8""")
                .mapTo(String.class).stream().sorted().toList());
    }

    private List<String> anchorsByDay() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT concat_ws(' ', device, day, selector, bx, by, clicks) FROM click_anchor_by_day WHERE bins = 16""")
                .mapTo(String.class).stream().sorted().toList());
    }

    private void assertMatchModel(Map<String, Heatmap> maps) {
        maps.forEach((what, map) -> {
            String[] key = what.split(" ");
            Expected want = expected(key[0], key[1], Range.of(LocalDate.parse(key[2]), LocalDate.parse(key[3])));
            assertThat(map.columns()).as("columns of %s", what).isEqualTo(want.columns());
            assertThat(map.rows()).as("rows of %s", what).isEqualTo(want.rows());
            assertSameCounts(map.counts(), want.counts(), what);
            assertThat(map.total()).as("total of %s", what).isEqualTo(want.total());
            assertThat(map.pageviews()).as("page views of %s", what).isEqualTo(want.pageviews());
            assertThat(map.notDrawn()).as("clicks not drawn in %s", what).isEqualTo(want.notDrawn());
        });
    }

    // Reading the database.

    private static String name(String device, String kind, Range r) {
        return device + " " + kind + " " + r.from() + " " + r.to();
    }

    private Map<String, Heatmap> heatmaps(List<Range> ranges) {
        Map<String, Heatmap> maps = new TreeMap<>();
        for (Range r : ranges) {
            for (String device : DEVICES) {
                for (String kind : KINDS) {
                    maps.put(name(device, kind, r), query.computed(fixture.siteId, fixture.pageId, device, kind, r.from(), r.to(), null, true));
                }
            }
        }
        return maps;
    }

    /** A cell's count; 0 below a grid that has no rows there (a range without page views has no document). */
    private static int count(Heatmap map, int column, int row) {
        return row < map.rows() ? map.counts()[row * map.columns() + column] : 0;
    }

    private static void assertSameHeatmap(Heatmap actual, Heatmap expected, String what) {
        assertThat(actual.columns()).as("columns of %s", what).isEqualTo(expected.columns());
        assertThat(actual.rows()).as("rows of %s", what).isEqualTo(expected.rows());
        assertSameCounts(actual.counts(), expected.counts(), what);
        assertThat(actual.total()).as("total of %s", what).isEqualTo(expected.total());
        assertThat(actual.pageviews()).as("page views of %s", what).isEqualTo(expected.pageviews());
        assertThat(actual.notDrawn()).as("clicks not drawn in %s", what).isEqualTo(expected.notDrawn());
        assertThat(actual.sigma()).as("σ of %s", what).isEqualTo(expected.sigma());
        int cell = Arrays.mismatch(actual.values(), expected.values());
        assertThat(cell).as("first cell whose value differs in %s", what).isEqualTo(-1);
    }

    /** Plain array comparison: these grids have 100,000 cells and more, too many for a readable element-wise diff. */
    private static void assertSameCounts(int[] actual, int[] expected, String what) {
        int cell = Arrays.mismatch(actual, expected);
        assertThat(cell).as("first cell whose count differs in %s: %s", what,
                cell < 0 ? "" : cell >= Math.min(actual.length, expected.length) ? "lengths " + actual.length + " and " + expected.length
                        : "got " + actual[cell] + ", want " + expected[cell]).isEqualTo(-1);
    }

    private int marks() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM heat_block_dirty").mapTo(Integer.class).one());
    }

    private boolean marked(String device, String kind, LocalDate day) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT count(*) > 0 FROM heat_block_dirty
                        WHERE device = :device::device_class AND kind = :kind::event_kind AND span = 1 AND first_day = :day""")
                .bind("device", device).bind("kind", kind).bind("day", day)
                .mapTo(Boolean.class).one());
    }

    private int parts(String device, String kind, LocalDate day) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM heat_tile
                        WHERE device = :device::device_class AND kind = :kind::event_kind AND span = 0 AND first_day = :day""")
                .bind("device", device).bind("kind", kind).bind("day", day)
                .mapTo(Integer.class).one());
    }

    /** What a row of every page view's counts holds. */
    private long rowTotal(String device, String kind, Block block) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT coalesce(sum(u.n), 0) FROM heat_tile, unpack_counts(cells) u
                        WHERE device = :device::device_class AND kind = :kind::event_kind AND span = :span AND first_day = :first""")
                .bind("device", device).bind("kind", kind).bind("span", (short) block.span()).bind("first", block.first())
                .mapTo(Long.class).one());
    }

    private List<Integer> rowSpans(String device, String kind, LocalDate first) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT DISTINCT span FROM heat_tile
                        WHERE device = :device::device_class AND kind = :kind::event_kind AND first_day = :first AND span > 0 ORDER BY span""")
                .bind("device", device).bind("kind", kind).bind("first", first)
                .mapTo(Integer.class).list());
    }

    private int daysWithSeveralParts(String table, String columns) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM (SELECT 1 FROM " + table + " WHERE span = 0 GROUP BY device, first_day, "
                + columns + " HAVING count(*) > 1) several").mapTo(Integer.class).one());
    }

    private List<Integer> spans(String table) {
        return ints("SELECT DISTINCT span FROM " + table + " ORDER BY span");
    }

    private List<Integer> ints(String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Integer.class).list());
    }

    /**
     * Every count of every row, summed per block: heat_tile by (device, kind, span, first day, band, cell) and
     * click_target by (device, span, first day, selector, cell or anchor). Parts are numbered differently in two
     * databases; their sums per block are not.
     */
    private static Map<String, Long> blockContents(Database database) {
        Map<String, Long> contents = new TreeMap<>();
        database.jdbi().useHandle(h -> {
            h.createQuery("""
                            SELECT concat_ws(' ', 'tile', device, kind, span, first_day, band, cell_size, u.idx), sum(u.n)
                            FROM heat_tile, unpack_counts(cells) u GROUP BY 1""")
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> contents.put(e.getKey(), e.getValue()));
            h.createQuery("""
                            SELECT concat_ws(' ', 'target cell', device, span, first_day, selector, cell_size, u.idx), sum(u.n)
                            FROM click_target, unpack_counts(cells) u GROUP BY 1
                            UNION ALL
                            SELECT concat_ws(' ', 'target anchor', device, span, first_day, selector, anchor_bins, u.idx), sum(u.n)
                            FROM click_target, unpack_counts(anchors) u GROUP BY 1
                            UNION ALL
                            SELECT concat_ws(' ', 'target fixed', device, span, first_day, selector, cell_size, u.idx), sum(u.n)
                            FROM click_target, unpack_counts(fixed_cells) u GROUP BY 1""")
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> contents.put(e.getKey(), e.getValue()));
        });
        return contents;
    }

    /**
     * Every row (span 1 and more) holds exactly the sum of its days' events as the model has them: what a reader that
     * takes a row for its days, or subtracts one, relies on. Parts (span 0) are not in any row yet.
     */
    private void assertRowsHoldTheirDays(Database database) {
        // The model's events per day: "tile DEVICE KIND BAND 8 IDX", "target cell|fixed DEVICE SELECTOR 8 IDX",
        // "target anchor DEVICE SELECTOR 16 IDX".
        Map<String, Map<LocalDate, Long>> days = new HashMap<>();
        Set<String> pending = new HashSet<>(database.jdbi().withHandle(h -> h.createQuery(
                "SELECT concat_ws(' ', device, first_day) FROM heat_tile WHERE span = 0 UNION SELECT concat_ws(' ', device, first_day) FROM click_target WHERE span = 0")
                .mapTo(String.class).list()));
        assertThat(pending).as("days with parts").isEmpty();
        for (Batch b : sent) {
            for (Event e : b.events()) {
                int cell = e.y() / CELL * GridRows.CELL_ROW + e.x() / CELL;
                List<String> keys = new ArrayList<>();
                if (e.selector() == null) {
                    keys.add(String.join(" ", "tile", b.device(), e.kind(), cell / GridRows.CELL_ROW / GridRows.BAND_ROWS + "", CELL + "", cell + ""));
                } else {
                    keys.add(String.join(" ", "target cell", b.device(), e.selector(), CELL + "", cell + ""));
                    keys.add(String.join(" ", "target anchor", b.device(), e.selector(), BINS + "", bin(e.boxY()) * BINS + bin(e.boxX()) + ""));
                    if (e.fixed()) keys.add(String.join(" ", "target fixed", b.device(), e.selector(), CELL + "", cell + ""));
                }
                for (String k : keys) days.computeIfAbsent(k, x -> new HashMap<>()).merge(b.day(), 1L, Long::sum);
            }
        }
        Map<String, Long> held = new TreeMap<>(), sums = new TreeMap<>();
        blockContents(database).forEach((key, n) -> {
            // "tile DEVICE KIND SPAN FIRST BAND CELL_SIZE IDX" or "target cell|anchor|fixed DEVICE SPAN FIRST SELECTOR SIZE IDX"
            String[] f = key.split(" ");
            boolean tile = f[0].equals("tile");
            int at = 3;
            int span = Integer.parseInt(f[at]);
            LocalDate first = LocalDate.parse(f[at + 1]);
            String head = tile ? "tile " + f[1] + " " + f[2] : f[0] + " " + f[1] + " " + f[2];
            String cell = head + " " + String.join(" ", Arrays.copyOfRange(f, at + 2, f.length));
            held.put(cell + " @" + span + " " + first, n);
            long sum = days.getOrDefault(cell, Map.of()).entrySet().stream()
                    .filter(d -> !d.getKey().isBefore(first) && !d.getKey().isAfter(first.plusDays(span - 1))).mapToLong(Map.Entry::getValue).sum();
            sums.put(cell + " @" + span + " " + first, sum);
        });
        assertThat(held).as("rows").isNotEmpty().isEqualTo(sums);
    }
}
