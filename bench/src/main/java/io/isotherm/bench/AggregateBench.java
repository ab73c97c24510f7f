package io.isotherm.bench;

import io.isotherm.aggregator.Aggregator;
import io.isotherm.aggregator.AggregatorSettings;
import io.isotherm.db.Database;
import io.isotherm.db.EmbeddedDatabase;
import io.isotherm.db.event.RawEvent;
import io.isotherm.db.event.RawEventPartitions;
import io.isotherm.db.page.PageDao;
import io.isotherm.db.site.SiteDao;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * End-to-end aggregation: raw events already stored (as the collector leaves them) to stored grids, statistics and
 * smoothed default views. Starts its own embedded PostgreSQL in a temporary directory, generates the backlog inside
 * PostgreSQL (INSERT … SELECT generate_series, which is not timed), then times the aggregators until nothing is
 * pending. Prints one RESULT_AGGREGATE line per run.
 */
public final class AggregateBench {
    private static final String USAGE = """
            usage: AggregateBench [options]
              --events N            raw events in the backlog (default 10000000)
              --aggregators LIST    concurrent aggregators to measure, each on a fresh copy of the backlog (default 1,2)
              --batches-per-run N   batches per aggregation transaction (default 1000)
              --pages N             pages the events are spread over (default 20)
              --spread KIND         uniform: every event anywhere on the page, nearly one grid cell per event (the worst
                                    case); clustered: around 200 hot spots per page, ±40 px (default uniform)""";
    private static final int EVENTS_PER_BATCH = 50;
    private static final int BATCHES_PER_PAGEVIEW = 3;

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, USAGE, Set.of("events", "aggregators", "batches-per-run", "pages", "spread"));
        int events = args.integer("events", 10_000_000);
        int batchesPerRun = args.integer("batches-per-run", 1000);
        int pages = args.integer("pages", 20);
        boolean clustered = switch (args.text("spread", "uniform")) {
            case "uniform" -> false;
            case "clustered" -> true;
            default -> throw new IllegalArgumentException("--spread must be uniform or clustered");
        };
        List<Integer> aggregatorCounts = new ArrayList<>();
        for (String n : args.text("aggregators", "1,2").split(",")) aggregatorCounts.add(Integer.parseInt(n.trim()));

        Path dir = Files.createTempDirectory("isotherm-aggregate-bench");
        try (EmbeddedDatabase postgres = EmbeddedDatabase.startOrAttach(dir)) {
            for (int aggregators : aggregatorCounts) {
                try (Database db = Database.open(postgres.settings(aggregators * 2 + 2), null)) {
                    reset(db);
                    int siteId = generate(db, events, pages, clustered);
                    AggregatorSettings settings = AggregatorSettings.defaults().withBatchesPerRun(batchesPerRun);
                    db.jdbi().useHandle(h -> h.execute("VACUUM ANALYZE"));

                    long start = System.nanoTime();
                    ExecutorService pool = Executors.newFixedThreadPool(aggregators);
                    List<Future<Aggregator.Pass>> passes = new ArrayList<>();
                    for (int i = 0; i < aggregators; i++) passes.add(pool.submit(() -> new Aggregator(db.jdbi(), settings).aggregatePending()));
                    long aggregated = 0;
                    int views = 0;
                    for (Future<Aggregator.Pass> pass : passes) {
                        aggregated += pass.get().events();
                        views += pass.get().viewsRefreshed();
                    }
                    pool.shutdown();
                    double seconds = (System.nanoTime() - start) / 1e9;
                    long clicksAndMoves = db.jdbi().withHandle(h -> h.createQuery("SELECT coalesce(sum(events), 0) FROM heat_cell").mapTo(Long.class).one());
                    long expected = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM raw_event WHERE kind <> 'scroll'").mapTo(Long.class).one());
                    System.out.printf(Locale.ROOT, "RESULT_AGGREGATE spread=%s aggregators=%d events=%d seconds=%.1f events_per_s=%.0f batches_per_run=%d views=%d grid_events=%d expected_grid_events=%d site=%d%n",
                            clustered ? "clustered" : "uniform", aggregators, aggregated, seconds, aggregated / seconds, batchesPerRun, views, clicksAndMoves, expected, siteId);
                }
            }
        }
    }

    private static void reset(Database db) {
        db.jdbi().useHandle(h -> h.execute("""
                TRUNCATE raw_event, ingest_batch, heat_cell, click_anchor, element_day, layout_element, page_day, page_hour,
                    pageview_summary, scroll_depth_percent, scroll_depth_px, viewport_height, attention_band, heatmap_view,
                    heatmap_dirty, page, site CASCADE"""));
    }

    /**
     * The backlog: page views of three 50-event batches over {@code pages} pages and the three device classes, within
     * yesterday; 30 % clicks on 40 selectors per page, 60 % moves, 10 % scrolls (half of them timed); positions
     * uniform over the page, or around 200 hot spots.
     */
    private static int generate(Database db, int events, int pages, boolean clustered) {
        int siteId = new SiteDao(db.jdbi()).add("Bench", List.of("https://bench.example"), List.of()).id();
        PageDao pageDao = new PageDao(db.jdbi());
        for (int p = 0; p < pages; p++) pageDao.idFor(siteId, "https://bench.example/page/" + p);
        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        new RawEventPartitions(db.jdbi(), 2).ensure(yesterday.minusDays(1), 4);
        int batches = events / EVENTS_PER_BATCH;
        db.jdbi().useHandle(h -> {
            h.createUpdate("""
                            INSERT INTO ingest_batch (site_id, pageview_id, seq, page_id, event_count, received_at)
                            SELECT :site, md5('pv' || (b / :perView))::uuid, b % :perView,
                                   (SELECT min(page_id) FROM page WHERE site_id = :site) + (b / :perView) % :pages, :perBatch,
                                   :start::timestamptz + (b * 80000.0 / :batches) * interval '1 second' + interval '5 seconds'
                            FROM generate_series(0, :batches - 1) b""")
                    .bind("site", siteId).bind("perView", BATCHES_PER_PAGEVIEW).bind("pages", pages).bind("perBatch", EVENTS_PER_BATCH)
                    .bind("batches", batches).bind("start", yesterday.atTime(1, 0).toString() + "Z")
                    .execute();
            h.createUpdate("""
                            INSERT INTO raw_event (<columns>)
                            SELECT b.site_id, b.page_id, b.pageview_id, b.seq, b.received_at - interval '5 seconds' + (e * interval '50 ms'),
                                   k.kind::event_kind, d.device::device_class,
                                   CASE WHEN :clustered THEN greatest(0, least(d.width - 1, (hashint4(spot * 7 + 1) & 2147483647) % d.width + (hashint4(i) & 2147483647) % 81 - 40))
                                        ELSE (hashint4(i) & 2147483647) % d.width END,
                                   CASE WHEN :clustered THEN greatest(0, (hashint4(spot * 7 + 2) & 2147483647) % 6000 + (hashint4(i + 7) & 2147483647) % 81 - 40)
                                        ELSE (hashint4(i + 7) & 2147483647) % 6000 END,
                                   d.width - 15, 6000, d.width, 800,
                                   CASE WHEN k.kind = 'click' THEN 'main>section:nth-of-type(' || ((hashint4(i + 3) & 2147483647) % 40) || ')>a' END,
                                   CASE WHEN k.kind = 'click' THEN ((hashint4(i + 5) & 2147483647) % 1000) / 1000.0 END,
                                   CASE WHEN k.kind = 'click' THEN ((hashint4(i + 11) & 2147483647) % 1000) / 1000.0 END,
                                   k.kind = 'click' AND i % 97 = 0, k.kind = 'click' AND i % 5 <> 0, k.kind = 'click' AND i % 31 = 0,
                                   CASE WHEN k.kind = 'scroll' AND i % 2 = 0 THEN 1000 + i % 20000 END,
                                   CASE WHEN k.kind = 'scroll' THEN ((hashint4(i + 7) & 2147483647) % 6000) / 6000.0 END
                            FROM generate_series(0, :batches - 1) bn
                            JOIN ingest_batch b ON b.site_id = :site AND b.pageview_id = md5('pv' || (bn / :perView))::uuid AND b.seq = bn % :perView
                            CROSS JOIN generate_series(0, :perBatch - 1) e
                            CROSS JOIN LATERAL (SELECT bn * :perBatch + e AS i) n
                            CROSS JOIN LATERAL (SELECT (hashint4(i + 13) & 2147483647) % 200 AS spot) h
                            CROSS JOIN LATERAL (SELECT CASE WHEN i % 10 < 3 THEN 'click' WHEN i % 10 < 9 THEN 'move' ELSE 'scroll' END AS kind) k
                            CROSS JOIN LATERAL (SELECT (ARRAY['desktop', 'desktop', 'mobile', 'tablet'])[1 + (bn / :perView / 7) % 4] AS device,
                                                       (ARRAY[1920, 1440, 390, 820])[1 + (bn / :perView / 7) % 4] AS width) d""")
                    .define("columns", RawEvent.columnList())
                    .bind("site", siteId).bind("perView", BATCHES_PER_PAGEVIEW).bind("perBatch", EVENTS_PER_BATCH).bind("batches", batches)
                    .bind("clustered", clustered)
                    .execute();
        });
        return siteId;
    }
}
