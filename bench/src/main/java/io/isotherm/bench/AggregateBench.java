package io.isotherm.bench;

import io.isotherm.aggregator.Aggregator;
import io.isotherm.aggregator.AggregatorSettings;
import io.isotherm.db.Database;
import io.isotherm.db.EmbeddedDatabase;
import io.isotherm.db.event.RawEvent;
import io.isotherm.db.event.RawEventPartitions;
import io.isotherm.db.page.PageDao;
import io.isotherm.db.site.SiteDao;
import io.isotherm.grid.GridGeometry;
import io.isotherm.grid.HeatmapQuery;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;

import java.io.OutputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * End-to-end aggregation: raw events already stored (as the collector leaves them) to stored grids, statistics and
 * smoothed default views, against the read ceiling of the same rows. Starts its own embedded PostgreSQL in a temporary
 * directory, generates the backlog inside PostgreSQL (INSERT … SELECT generate_series, not timed), measures how fast
 * PostgreSQL can merely hand those rows out (COPY, and a JDBC cursor), then times the aggregators until nothing is
 * pending, and their refresh after. Prints a RESULT_READ_CEILING and a RESULT_AGGREGATE line per run.
 */
public final class AggregateBench {
    private static final String USAGE = """
            usage: AggregateBench [--quick] [options]
              --quick               a short run: 500,000 events, uniform spread only (options below still apply)
              --events N            raw events in the backlog (default 10000000)
              --aggregators LIST    concurrent aggregators to measure, each on a fresh copy of the backlog (default 1,2)
              --batches-per-run N   batches per aggregation transaction (default: the aggregator's, 5000)
              --workers N           each aggregator's transactions at once (default: the aggregator's, 1)
              --pages N             pages the events are spread over (default 20)
              --spread LIST         uniform: every event anywhere on the page, nearly one grid cell per event (the worst
                                    case); clustered: around 200 hot spots per page, ±40 px (default uniform,clustered)
              --click-selectors S   boxes: a click names the element box it lands in (40 per page, stored as the page's
                                    layout), none between boxes; random: any of 40 selectors wherever it lands, no
                                    layout (the backlog of the figures before issue 15) (default boxes)
              --campaigns LIST      the page views' traffic segments (issue 17): 0, none (as batches stored before V17:
                                    nothing counted per segment); N, N campaigns with variants A and B and two referrer
                                    classes, every event also counted in its segment's rows (default 0,10)
              --audiences N         with campaigns, the page views also spread over N combinations (1 to 120) of
                                    browser (4), operating system (3) and country (10): a segment is a combination of
                                    all these values, so N multiplies the segments (default 1: Chrome on Windows in
                                    France)
              --arrival-seconds N   the backlog's batches arrived over N seconds, evenly (default 80000: about a day);
                                    e.g. 10 for 2,000,000 events at the collector's 200,000 events/s""";
    private static final int EVENTS_PER_BATCH = 50;
    private static final int BATCHES_PER_PAGEVIEW = 3;
    private static final int DOCUMENT_HEIGHT = 6000;

    /** The columns the aggregator reads, of every raw event of the backlog. */
    private static final String BACKLOG = "SELECT " + RawEvent.columnList() + " FROM raw_event";

    /** One timing of the backlog as a text COPY and as a binary COPY, in seconds. */
    record CopyTimes(double text, double binary) {}

    /**
     * How fast the backlog's rows come out of PostgreSQL with no work done on them, on one connection. Both COPY
     * formats are timed several times, before and after the aggregation: this machine's speed drifts by tens of
     * percent within minutes, and the ratio is taken against the medians.
     */
    record ReadCeiling(long rows, long copyBytes, double jdbcSeconds, List<CopyTimes> copies) {
        /** The faster of the two COPY formats: the aggregator reads binary, the issue names the plain (text) one. */
        double copyRowsPerSecond() {
            return rows / copySeconds();
        }

        double copySeconds() {
            return median(faster());
        }

        double jdbcRowsPerSecond() {
            return rows / jdbcSeconds;
        }

        /** Every measurement of the faster format's rows/s, in the order taken. */
        String copyRowsPerSecondEach() {
            ToDoubleFunction<CopyTimes> faster = faster();
            return copies.stream().map(c -> String.format(Locale.ROOT, "%.0f", rows / faster.applyAsDouble(c))).collect(Collectors.joining("/"));
        }

        /** The format whose median time is the lower: the one the ratio is taken against. */
        private ToDoubleFunction<CopyTimes> faster() {
            return median(CopyTimes::text) <= median(CopyTimes::binary) ? CopyTimes::text : CopyTimes::binary;
        }

        /** Every measurement of one format, in seconds, in the order taken. */
        String seconds(ToDoubleFunction<CopyTimes> format) {
            return copies.stream().map(c -> String.format(Locale.ROOT, "%.2f", format.applyAsDouble(c))).collect(Collectors.joining("/"));
        }

        /** This ceiling with both COPY formats timed once more. */
        ReadCeiling again(Jdbi jdbi) throws Exception {
            List<CopyTimes> more = new ArrayList<>(copies);
            more.add(timeCopies(jdbi, rows));
            return new ReadCeiling(rows, copyBytes, jdbcSeconds, List.copyOf(more));
        }

        private double median(ToDoubleFunction<CopyTimes> format) {
            double[] sorted = copies.stream().mapToDouble(format).sorted().toArray();
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
    }

    public static void main(String[] argv) throws Exception {
        boolean quick = Arrays.asList(argv).contains("--quick");
        Args args = new Args(Arrays.stream(argv).filter(a -> !a.equals("--quick")).toArray(String[]::new), USAGE,
                Set.of("events", "aggregators", "batches-per-run", "pages", "spread", "click-selectors", "campaigns", "audiences", "arrival-seconds", "workers"));
        List<Integer> campaignCounts = args.integers("campaigns", "0,10");
        int events = args.integer("events", quick ? 500_000 : 10_000_000);
        int batchesPerRun = args.integer("batches-per-run", AggregatorSettings.defaults().batchesPerRun());
        int workers = args.integer("workers", AggregatorSettings.defaults().workers());
        if (workers < 1 || workers > 16) args.fail("--workers must be from 1 to 16");
        AggregatorSettings settings = AggregatorSettings.defaults().withBatchesPerRun(batchesPerRun).withWorkers(workers);
        int pages = args.integer("pages", 20);
        List<Integer> aggregatorCounts = args.integers("aggregators", "1,2");
        List<String> spreads = List.of(args.text("spread", quick ? "uniform" : "uniform,clustered").split(","));
        for (String spread : spreads) {
            if (!spread.equals("uniform") && !spread.equals("clustered")) args.fail("--spread must list uniform or clustered");
        }
        String selectors = args.text("click-selectors", "boxes");
        if (!selectors.equals("boxes") && !selectors.equals("random")) args.fail("--click-selectors must be boxes or random");
        boolean boxes = selectors.equals("boxes");
        int audiences = args.integer("audiences", 1);
        if (audiences < 1 || audiences > 120) args.fail("--audiences must be from 1 to 120");
        int arrivalSeconds = args.integer("arrival-seconds", 80_000);
        if (arrivalSeconds < 1 || arrivalSeconds > 80_000) args.fail("--arrival-seconds must be from 1 to 80000");

        try (ScratchDirectory dir = new ScratchDirectory("isotherm-aggregate-bench"); // closed last: after PostgreSQL stopped
             EmbeddedDatabase postgres = EmbeddedDatabase.startOrAttach(dir.path)) {
            // A small untimed round first: else the first configuration measured alone pays for the JIT.
            try (Database db = Database.open(postgres.settings(workers + 3), null)) {
                System.out.println("warm-up round, not reported:");
                run(db.jdbi(), spreads.get(0), 1, Math.min(events, 100_000), pages, settings, boxes, campaignCounts.get(0), audiences, arrivalSeconds, false);
            }
            for (String spread : spreads) {
                for (int campaigns : campaignCounts) {
                    for (int aggregators : aggregatorCounts) {
                        try (Database db = Database.open(postgres.settings(aggregators * (workers + 1) + 2), null)) {
                            run(db.jdbi(), spread, aggregators, events, pages, settings, boxes, campaigns, audiences, arrivalSeconds, true);
                        }
                    }
                }
            }
        }
    }

    /** @param report false for the warm-up round: nothing printed but its progress */
    private static void run(Jdbi jdbi, String spread, int aggregators, int events, int pages, AggregatorSettings settings, boolean boxes,
                            int campaigns, int audiences, int arrivalSeconds, boolean report) throws Exception {
        jdbi.useHandle(AggregateTables::truncateAll);
        long generateStart = System.nanoTime();
        int siteId = generate(jdbi, events, pages, spread.equals("clustered"), boxes, campaigns, audiences, arrivalSeconds);
        jdbi.useHandle(h -> h.execute("VACUUM ANALYZE"));
        System.out.printf(Locale.ROOT, "generated %d events (%s, click selectors %s, %d campaigns, %d audiences) in %.1f s%n", events, spread,
                boxes ? "boxes" : "random", campaigns, audiences, (System.nanoTime() - generateStart) / 1e9);

        ReadCeiling ceiling = readCeiling(jdbi);
        if (report) System.out.printf(Locale.ROOT, "RESULT_READ_CEILING spread=%s aggregators=%d rows=%d text_copy_seconds=%s binary_copy_seconds=%s copy_rows_per_s=%.0f copy_mb=%.1f jdbc_seconds=%.2f jdbc_rows_per_s=%.0f%n",
                spread, aggregators, ceiling.rows(), ceiling.seconds(CopyTimes::text), ceiling.seconds(CopyTimes::binary), ceiling.copyRowsPerSecond(),
                ceiling.copyBytes() / 1e6, ceiling.jdbcSeconds(), ceiling.jdbcRowsPerSecond());

        List<Aggregator> all = new ArrayList<>();
        for (int i = 0; i < aggregators; i++) all.add(new Aggregator(jdbi, settings));
        long start = System.nanoTime();
        List<Aggregator.Pass> passes = atOnce(all, AggregateBench::aggregate);
        double aggregateSeconds = (System.nanoTime() - start) / 1e9;
        ceiling = ceiling.again(jdbi); // the third measurement, after: the ratio holds against the median of all three
        long refreshStart = System.nanoTime();
        List<Aggregator.Refresh> refreshes = atOnce(all, AggregateBench::refresh);
        double refreshSeconds = (System.nanoTime() - refreshStart) / 1e9;
        long aggregated = passes.stream().mapToLong(Aggregator.Pass::events).sum();
        passes.forEach(p -> System.out.println("aggregator pass: " + p));
        refreshes.forEach(r -> System.out.println("aggregator refresh: " + r));

        if (!report) return;
        long expected = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM raw_event WHERE kind <> 'scroll'").mapTo(Long.class).one());
        long gridEvents = gridEvents(jdbi, siteId);
        long segments = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM segment WHERE site_id = :site").bind("site", siteId)
                .mapTo(Long.class).one());
        Map<String, AggregateTables.Size> sizes = jdbi.withHandle(AggregateTables::sizes);
        long storage = AggregateTables.total(sizes);
        System.out.println("aggregate tables (bytes): " + AggregateTables.describe(sizes));
        // How many rows a segment's clicked elements take (since V21 one per segment, page, device and day), against
        // those keys.
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT (SELECT count(*) FROM segment_click_day WHERE site_id = :site),
                               (SELECT count(*) FROM click_target WHERE site_id = :site AND segment_id > 0),
                               (SELECT count(*) FROM element_day WHERE site_id = :site AND segment_id > 0),
                               (SELECT count(DISTINCT (page_id, device, segment_id, day)) FROM segment_click_day WHERE site_id = :site)""")
                .bind("site", siteId)
                .map((rs, ctx) -> "segment click rows: segment_click_day " + rs.getLong(1) + ", click_target " + rs.getLong(2)
                        + ", element_day " + rs.getLong(3) + " for " + rs.getLong(4) + " segment × page × device × days")
                .forEach(System.out::println));
        double eventsPerSecond = aggregated / aggregateSeconds, withRefresh = aggregated / (aggregateSeconds + refreshSeconds);
        System.out.printf(Locale.ROOT, "RESULT_AGGREGATE spread=%s click_selectors=%s campaigns=%d audiences=%d segments=%d aggregators=%d events=%d aggregate_seconds=%.1f events_per_s=%.0f"
                        + " refresh_seconds=%.1f events_per_s_with_refresh=%.0f copy_rows_per_s=%.0f jdbc_rows_per_s=%.0f ratio_to_copy=%.3f"
                        + " ratio_with_refresh_to_copy=%.3f copy_rows_per_s_each=%s storage_bytes=%d bytes_per_million_events=%.0f batches_per_run=%d workers=%d grid_events=%d expected_grid_events=%d%n",
                spread, boxes ? "boxes" : "random", campaigns, audiences, segments, aggregators, aggregated, aggregateSeconds, eventsPerSecond, refreshSeconds, withRefresh,
                ceiling.copyRowsPerSecond(), ceiling.jdbcRowsPerSecond(), eventsPerSecond / ceiling.copyRowsPerSecond(),
                withRefresh / ceiling.copyRowsPerSecond(), ceiling.copyRowsPerSecondEach(), storage, storage / (aggregated / 1e6), settings.batchesPerRun(), settings.workers(), gridEvents, expected);
    }

    /** Aggregation alone: every pending batch binned and counted, no refresh. */
    static Aggregator.Pass aggregate(Aggregator aggregator) {
        return aggregator.drain();
    }

    /** The aggregator's work off the hot path (summing count grid parts into blocks, stored views), after aggregation. */
    static Aggregator.Refresh refresh(Aggregator aggregator) {
        return aggregator.refresh();
    }

    /** Runs {@code work} on every aggregator at once; the results in their order. */
    private static <T> List<T> atOnce(List<Aggregator> aggregators, Function<Aggregator, T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(aggregators.size());
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Aggregator a : aggregators) futures.add(pool.submit((Callable<T>) () -> work.apply(a)));
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) results.add(f.get());
            return results;
        } finally {
            pool.shutdown();
        }
    }

    /**
     * The ceiling before the aggregation: the backlog's rows with the columns the aggregator reads ({@link
     * RawEvent#COLUMNS}) once untimed (which counts them and their bytes and warms the cache), then timed twice as a
     * plain text COPY and as a binary COPY whose bytes are thrown away, and once through a JDBC cursor (fetch size
     * 10,000) reading each value.
     */
    static ReadCeiling readCeiling(Jdbi jdbi) throws Exception {
        CountingSink sink = new CountingSink();
        long rows = jdbi.withHandle(h -> h.getConnection().unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + BACKLOG + ") TO STDOUT", sink));
        CopyTimes first = timeCopies(jdbi, rows);
        double jdbcSeconds = jdbi.withHandle(h -> {
            Connection c = h.getConnection();
            c.setAutoCommit(false); // a cursor needs a transaction, else the driver fetches every row at once
            long start = System.nanoTime();
            long read = 0, nonNull = 0;
            try (Statement st = c.createStatement()) {
                st.setFetchSize(10_000);
                try (ResultSet rs = st.executeQuery(BACKLOG)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        read++;
                        for (int i = 1; i <= columns; i++) if (rs.getObject(i) != null) nonNull++;
                    }
                }
            } finally {
                c.commit();
                c.setAutoCommit(true);
            }
            if (read != rows || nonNull == 0) throw new IllegalStateException("COPY gave " + rows + " rows, the cursor " + read);
            return (System.nanoTime() - start) / 1e9;
        });
        return new ReadCeiling(rows, sink.bytes, jdbcSeconds, List.of(first)).again(jdbi);
    }

    /** The backlog's rows as a text COPY and as a binary COPY, bytes thrown away. */
    private static CopyTimes timeCopies(Jdbi jdbi, long expectedRows) throws Exception {
        String copy = "COPY (" + BACKLOG + ") TO STDOUT";
        return jdbi.withHandle(h -> {
            var api = h.getConnection().unwrap(PGConnection.class).getCopyAPI();
            long start = System.nanoTime();
            long textRows = api.copyOut(copy, new CountingSink());
            double text = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            long binaryRows = api.copyOut(copy + " (FORMAT binary)", new CountingSink());
            double binary = (System.nanoTime() - start) / 1e9;
            if (textRows != expectedRows || binaryRows != expectedRows) {
                throw new IllegalStateException("expected " + expectedRows + " rows, text COPY gave " + textRows + ", binary " + binaryRows);
            }
            return new CopyTimes(text, binary);
        });
    }

    /** Discards what it is given, counting the bytes. */
    private static final class CountingSink extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    /**
     * Clicks and moves as the read path sees them: the totals of the computed heatmaps of every page, device and kind
     * over the backlog's days. Equal to the backlog's clicks and moves when every event was counted exactly once.
     */
    private static long gridEvents(Jdbi jdbi, int siteId) {
        HeatmapQuery query = new HeatmapQuery(jdbi, GridGeometry.defaults());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<Long> pageIds = jdbi.withHandle(h -> h.createQuery("SELECT page_id FROM page WHERE site_id = :site").bind("site", siteId).mapTo(Long.class).list());
        long total = 0;
        for (long page : pageIds) {
            for (String device : GridGeometry.defaults().layoutWidths().keySet()) {
                for (String kind : List.of("click", "move")) {
                    total += query.computed(siteId, page, device, kind, today.minusDays(3), today.plusDays(1), null, false).total();
                }
            }
        }
        return total;
    }

    /**
     * The backlog: page views of three 50-event batches over {@code pages} pages and the three device classes, within
     * yesterday; 30 % clicks, 60 % moves, 10 % scrolls (half of them timed); positions uniform over the page, or around
     * 200 hot spots. A click names the element box it lands in ({@link ElementBoxes}), or a random one of 40.
     */
    private static int generate(Jdbi jdbi, int events, int pages, boolean clustered, boolean boxes, int campaigns, int audiences,
                                int arrivalSeconds) {
        int siteId = new SiteDao(jdbi).add("Bench", List.of("https://bench.example"), List.of()).id();
        PageDao pageDao = new PageDao(jdbi);
        for (int p = 0; p < pages; p++) {
            long pageId = pageDao.idFor(siteId, "https://bench.example/page/" + p);
            if (boxes) jdbi.useTransaction(h -> ElementBoxes.store(h, GridGeometry.defaults(), siteId, pageId, device -> DOCUMENT_HEIGHT));
        }
        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        new RawEventPartitions(jdbi, 2).ensure(yesterday.minusDays(1), 4);
        int batches = events / EVENTS_PER_BATCH;
        jdbi.useHandle(h -> {
            h.createUpdate("""
                            INSERT INTO ingest_batch (site_id, pageview_id, seq, page_id, event_count, received_at,
                                referrer, utm_campaign, variant, browser, os, time_zone)
                            SELECT :site, md5('pv' || (b / :perView))::uuid, b % :perView,
                                   (SELECT min(page_id) FROM page WHERE site_id = :site) + (b / :perView) % :pages, :perBatch,
                                   :start::timestamptz + (b * :arrival::float8 / :batches) * interval '1 second' + interval '5 seconds',
                                   CASE WHEN :campaigns > 0 THEN CASE WHEN (b / :perView) % 3 = 0 THEN 'direct' ELSE 'search' END END,
                                   CASE WHEN :campaigns > 0 THEN 'campaign-' || ((b / :perView) % greatest(:campaigns, 1)) END,
                                   CASE WHEN :campaigns > 0 THEN CASE WHEN (b / :perView / greatest(:campaigns, 1)) % 2 = 0 THEN 'A' ELSE 'B' END END,
                                   CASE WHEN :campaigns > 0 THEN (ARRAY['Chrome', 'Safari', 'Firefox', 'Edge'])[1 + a % 4] END,
                                   CASE WHEN :campaigns > 0 THEN (ARRAY['Windows', 'macOS', 'Android'])[1 + a / 4 % 3] END,
                                   CASE WHEN :campaigns > 0 THEN (ARRAY['Europe/Paris', 'Europe/Berlin', 'Europe/London', 'America/New_York',
                                       'Europe/Madrid', 'Europe/Rome', 'Asia/Tokyo', 'America/Sao_Paulo', 'Australia/Sydney', 'Asia/Kolkata'])[1 + a / 12 % 10] END
                            FROM generate_series(0, :batches - 1) b
                            -- The page view's audience: its browser, operating system and country.
                            CROSS JOIN LATERAL (SELECT (hashint4(b / :perView + 17) & 2147483647) % :audiences AS a) audience""")
                    .bind("campaigns", campaigns).bind("audiences", audiences)
                    .bind("site", siteId).bind("perView", BATCHES_PER_PAGEVIEW).bind("pages", pages).bind("perBatch", EVENTS_PER_BATCH)
                    .bind("batches", batches).bind("start", yesterday.atTime(1, 0).toString() + "Z").bind("arrival", arrivalSeconds)
                    .execute();
            h.createUpdate("""
                            INSERT INTO raw_event (<columns>)
                            SELECT b.site_id, b.page_id, b.pageview_id, b.seq, b.received_at - interval '5 seconds' + (e * interval '50 ms'),
                                   k.kind::event_kind, d.device::device_class, p.x, p.y, d.width - 15, :height, d.width, 800,
                                   CASE WHEN k.kind = 'click' THEN
                                       CASE WHEN :boxes THEN bx.selector ELSE 'main>section:nth-of-type(' || (1 + (hashint4(i + 3) & 2147483647) % 40) || ')>a' END END,
                                   CASE WHEN k.kind = 'click' THEN CASE WHEN :boxes THEN bx.box_x ELSE ((hashint4(i + 5) & 2147483647) % 1000) / 1000.0 END END,
                                   CASE WHEN k.kind = 'click' THEN CASE WHEN :boxes THEN bx.box_y ELSE ((hashint4(i + 11) & 2147483647) % 1000) / 1000.0 END END,
                                   k.kind = 'click' AND i % 97 = 0, k.kind = 'click' AND i % 5 <> 0, k.kind = 'click' AND i % 31 = 0,
                                   CASE WHEN k.kind = 'scroll' AND i % 2 = 0 THEN 1000 + i % 20000 END,
                                   CASE WHEN k.kind = 'scroll' THEN ((hashint4(i + 7) & 2147483647) % :height)::real / :height END
                            FROM generate_series(0, :batches - 1) bn
                            JOIN ingest_batch b ON b.site_id = :site AND b.pageview_id = md5('pv' || (bn / :perView))::uuid AND b.seq = bn % :perView
                            CROSS JOIN generate_series(0, :perBatch - 1) e
                            CROSS JOIN LATERAL (SELECT bn * :perBatch + e AS i) n
                            CROSS JOIN LATERAL (SELECT (hashint4(i + 13) & 2147483647) % 200 AS spot) s
                            CROSS JOIN LATERAL (SELECT CASE WHEN i % 10 < 3 THEN 'click' WHEN i % 10 < 9 THEN 'move' ELSE 'scroll' END AS kind) k
                            CROSS JOIN LATERAL (SELECT (ARRAY['desktop', 'desktop', 'mobile', 'tablet'])[1 + (bn / :perView / 7) % 4] AS device,
                                                       (ARRAY[1920, 1440, 390, 820])[1 + (bn / :perView / 7) % 4] AS width) d
                            CROSS JOIN LATERAL (
                                SELECT CASE WHEN :clustered THEN greatest(0, least(d.width - 1, (hashint4(spot * 7 + 1) & 2147483647) % d.width + (hashint4(i) & 2147483647) % 81 - 40))
                                            ELSE (hashint4(i) & 2147483647) % d.width END AS x,
                                       CASE WHEN :clustered THEN greatest(0, (hashint4(spot * 7 + 2) & 2147483647) % :height + (hashint4(i + 7) & 2147483647) % 81 - 40)
                                            ELSE (hashint4(i + 7) & 2147483647) % :height END AS y) p
                            <boxes>""")
                    .define("columns", RawEvent.columnList())
                    .define("boxes", ElementBoxes.lateral("bx", "p.x", "p.y", "d.width - 15", String.valueOf(DOCUMENT_HEIGHT), "d.device"))
                    .bind("site", siteId).bind("perView", BATCHES_PER_PAGEVIEW).bind("perBatch", EVENTS_PER_BATCH).bind("batches", batches)
                    .bind("clustered", clustered).bind("boxes", boxes).bind("height", DOCUMENT_HEIGHT)
                    .execute();
            // Each receipt's event times (V23), as the collector records them.
            h.createUpdate("""
                            UPDATE ingest_batch b SET first_event_at = e.first, last_event_at = e.last
                            FROM (SELECT pageview_id, seq, min(occurred_at) AS first, max(occurred_at) AS last
                                  FROM raw_event WHERE site_id = :site GROUP BY pageview_id, seq) e
                            WHERE b.site_id = :site AND b.pageview_id = e.pageview_id AND b.seq = e.seq""")
                    .bind("site", siteId)
                    .execute();
        });
        return siteId;
    }
}
