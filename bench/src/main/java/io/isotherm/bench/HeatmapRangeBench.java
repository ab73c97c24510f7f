package io.isotherm.bench;

import io.isotherm.aggregator.Aggregator;
import io.isotherm.aggregator.AggregatorSettings;
import io.isotherm.db.Database;
import io.isotherm.db.EmbeddedDatabase;
import io.isotherm.db.event.RawEvent;
import io.isotherm.db.event.RawEventPartitions;
import io.isotherm.db.page.PageDao;
import io.isotherm.db.segment.SegmentFilter;
import io.isotherm.db.site.SiteDao;
import io.isotherm.grid.GridGeometry;
import io.isotherm.grid.Heatmap;
import io.isotherm.grid.HeatmapQuery;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The heatmap of any date range, read as the dashboard reads it ({@link HeatmapQuery}, in process, so the times are
 * the server's), on a heavy page and on a light one with a hundred times less traffic. Starts its own embedded
 * PostgreSQL in a temporary directory, generates a year of raw events for both pages (not timed), aggregates them
 * with the real aggregator (timed, printed), then requests the ranges, smoothing radii and kinds, heavy and light
 * side by side. Prints one RESULT_HEATMAP_RANGE line per request: medians, 90th percentiles and heavy ÷ light.
 */
public final class HeatmapRangeBench {
    private static final String USAGE = """
            usage: HeatmapRangeBench [--quick] [options]
              --quick          a short run: heavy page 500,000 + 100,000 events, 1 warm-up and 5 timed requests of each
              --recent N       the heavy page's events in the last 30 days, today included (default 10000000)
              --older N        the heavy page's events in the 335 days before (default 2000000)
              --lighter N      the light page has N times fewer events in each period (default 100)
              --warmups N      untimed requests of each kind first, after one untimed round of all (default 3)
              --repeats N      timed requests of each kind on each page (default 15)
              --device D       device class of the requests (default desktop)
              --campaigns N    page views carry traffic segments (issue 17): N campaigns, variants A and B, two
                               referrer classes; then segment-filtered heatmaps are timed too (default 0: none)""";
    private static final int EVENTS_PER_BATCH = 50;
    private static final int BATCHES_PER_PAGEVIEW = 3;
    private static final int HOT_SPOTS = 300;
    private static final Map<String, Integer> DOCUMENT_HEIGHTS = Map.of("desktop", 6000, "tablet", 7000, "mobile", 9000);

    private record Range(String name, LocalDate from, LocalDate to) {}

    public static void main(String[] argv) throws Exception {
        boolean quick = Arrays.asList(argv).contains("--quick");
        Args args = new Args(Arrays.stream(argv).filter(a -> !a.equals("--quick")).toArray(String[]::new), USAGE,
                Set.of("recent", "older", "lighter", "warmups", "repeats", "device", "campaigns"));
        int campaigns = args.integer("campaigns", 0);
        int recent = args.integer("recent", quick ? 500_000 : 10_000_000);
        int older = args.integer("older", quick ? 100_000 : 2_000_000);
        int lighter = args.integer("lighter", 100);
        int warmups = args.integer("warmups", quick ? 1 : 3);
        int repeats = args.integer("repeats", quick ? 5 : 15);
        String device = args.text("device", "desktop");
        if (!DOCUMENT_HEIGHTS.containsKey(device)) args.fail("--device must be desktop, tablet or mobile");

        GridGeometry grid = GridGeometry.defaults();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (ScratchDirectory dir = new ScratchDirectory("isotherm-heatmap-range-bench"); // closed last: after PostgreSQL stopped
             EmbeddedDatabase postgres = EmbeddedDatabase.startOrAttach(dir.path);
             Database db = Database.open(postgres.settings(4), null)) {
            Jdbi jdbi = db.jdbi();
            int siteId = new SiteDao(jdbi).add("Bench", List.of("https://bench.example"), List.of()).id();
            PageDao pages = new PageDao(jdbi);
            long heavy = pages.idFor(siteId, "https://bench.example/heavy");
            long light = pages.idFor(siteId, "https://bench.example/light");
            for (long page : List.of(heavy, light)) jdbi.useTransaction(h -> ElementBoxes.store(h, grid, siteId, page, DOCUMENT_HEIGHTS::get));
            new RawEventPartitions(jdbi, 2).ensure(today.minusDays(366), 369);

            long start = System.nanoTime();
            Instant recentFrom = today.minusDays(29).atStartOfDay().toInstant(ZoneOffset.UTC);
            Instant recentTo = today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            Instant olderFrom = today.minusDays(364).atStartOfDay().toInstant(ZoneOffset.UTC);
            generate(jdbi, siteId, heavy, "heavy-recent", recent, recentFrom, recentTo, campaigns);
            generate(jdbi, siteId, heavy, "heavy-older", older, olderFrom, recentFrom, campaigns);
            generate(jdbi, siteId, light, "light-recent", recent / lighter, recentFrom, recentTo, campaigns);
            generate(jdbi, siteId, light, "light-older", older / lighter, olderFrom, recentFrom, campaigns);
            jdbi.useHandle(h -> h.execute("VACUUM ANALYZE"));
            System.out.printf(Locale.ROOT, "generated heavy %d + %d, light %d + %d events (last 30 days + the 335 before) in %.1f s%n",
                    recent, older, recent / lighter, older / lighter, (System.nanoTime() - start) / 1e9);

            Aggregator aggregator = new Aggregator(jdbi, AggregatorSettings.defaults());
            start = System.nanoTime();
            Aggregator.Pass pass = AggregateBench.aggregate(aggregator);
            double aggregateSeconds = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            Aggregator.Refresh refreshed = AggregateBench.refresh(aggregator);
            double refreshSeconds = (System.nanoTime() - start) / 1e9;
            // Settled tables, as a day after: not the autovacuum of a fresh bulk load running under the requests.
            jdbi.useHandle(h -> h.execute("VACUUM ANALYZE"));
            Map<String, AggregateTables.Size> sizes = jdbi.withHandle(AggregateTables::sizes);
            long storage = AggregateTables.total(sizes);
            System.out.println("aggregator pass: " + pass + "; refresh: " + refreshed);
            System.out.println("aggregate tables (bytes): " + AggregateTables.describe(sizes));
            System.out.printf(Locale.ROOT, "RESULT_HEATMAP_SETUP events=%d aggregate_seconds=%.1f events_per_s=%.0f refresh_seconds=%.1f storage_bytes=%d bytes_per_million_events=%.0f%n",
                    pass.events(), aggregateSeconds, pass.events() / aggregateSeconds, refreshSeconds, storage, storage / (pass.events() / 1e6));

            HeatmapQuery query = new HeatmapQuery(jdbi, grid);
            List<Range> ranges = List.of(
                    new Range("1d", today, today),
                    new Range("7d", today.minusDays(6), today),
                    new Range("30d", today.minusDays(29), today),
                    new Range("90d", today.minusDays(89), today),
                    new Range("365d", today.minusDays(364), today),
                    new Range("arbitrary", today.minusDays(47), today.minusDays(13)));
            // One untimed round of every request first: else the first ranges measured also pay for the JIT.
            for (Timer timer : List.of(new Timer(heavy, light, 1, 0), new Timer(heavy, light, warmups, repeats))) {
                for (Range r : ranges) {
                    for (Double sigma : Arrays.asList(null, 16.0, 48.0)) {
                        for (String kind : List.of("click", "move")) {
                            timer.time("heatmap", r, sigma, kind, page -> query.heatmap(siteId, page, device, kind, r.from(), r.to(), sigma, true));
                        }
                    }
                }
                // The 7- and 30-day defaults may come from the stored views above: the same computed from the counts.
                for (Range r : ranges.subList(1, 3)) {
                    for (String kind : List.of("click", "move")) {
                        timer.time("computed", r, null, kind, page -> query.computed(siteId, page, device, kind, r.from(), r.to(), null, true));
                    }
                }
            }
            if (campaigns > 0) timeSegments(jdbi, query, siteId, device, ranges, new Timer(heavy, light, warmups, repeats));
            // The embedded server is given a few seconds to stop; on a busy machine its shutdown checkpoint took longer.
            jdbi.useHandle(h -> h.execute("CHECKPOINT"));
        }
    }

    /**
     * Segment-filtered heatmaps: one campaign (1/N of the page views), one variant (half of them, over N segments), one
     * referrer class (two thirds, over 2N segments), and a campaign and a variant together.
     */
    private static void timeSegments(Jdbi jdbi, HeatmapQuery query, int siteId, String device, List<Range> ranges, Timer timer) {
        List<Map<String, String>> filters = List.of(Map.of("utm_campaign", "campaign-0"), Map.of("variant", "A"),
                Map.of("referrer", "search"), Map.of("utm_campaign", "campaign-0", "variant", "B"));
        for (Map<String, String> filter : filters) {
            int[] segments = jdbi.withHandle(h -> SegmentFilter.from(filter::get).segmentIds(h, siteId));
            String name = new SegmentFilter(filter).queryString().replace('=', ':').replace('&', '+') + "/" + segments.length + "_segments";
            for (Range r : ranges.subList(1, 4)) {
                for (String kind : List.of("click", "move")) {
                    timer.time("segment:" + name, r, null, kind,
                            page -> jdbi.withHandle(h -> query.heatmap(h, siteId, page, device, kind, r.from(), r.to(), null, true, segments)));
                }
            }
        }
    }

    /** Times one request on both pages, alternating which goes first. */
    private record Timer(long heavy, long light, int warmups, int repeats) {
        /** Prints a RESULT line, unless it is a warm-up only (no repeats). */
        void time(String mode, Range range, Double sigma, String kind, LongFunction<Heatmap> request) {
            for (int i = 0; i < warmups; i++) {
                request.apply(heavy);
                request.apply(light);
            }
            if (repeats == 0) return;
            Latencies heavyTimes = new Latencies(), lightTimes = new Latencies();
            Heatmap heavyMap = null, lightMap = null;
            for (int i = 0; i < repeats; i++) {
                if (i % 2 == 0) {
                    heavyMap = timed(request, heavy, heavyTimes);
                    lightMap = timed(request, light, lightTimes);
                } else {
                    lightMap = timed(request, light, lightTimes);
                    heavyMap = timed(request, heavy, heavyTimes);
                }
            }
            long[] h = Latencies.merged(List.of(heavyTimes)), l = Latencies.merged(List.of(lightTimes));
            double heavyMedian = Latencies.percentileMillis(h, 50), lightMedian = Latencies.percentileMillis(l, 50);
            System.out.printf(Locale.ROOT, "RESULT_HEATMAP_RANGE mode=%s range=%s from=%s to=%s kind=%s sigma=%s heavy_median_ms=%.1f heavy_p90_ms=%.1f"
                            + " light_median_ms=%.1f light_p90_ms=%.1f ratio=%.2f heavy_events=%d light_events=%d heavy_grid=%dx%d sigma_px=%.1f%n",
                    mode, range.name(), range.from(), range.to(), kind, sigma == null ? "default" : String.format(Locale.ROOT, "%.0f", sigma),
                    heavyMedian, Latencies.percentileMillis(h, 90), lightMedian, Latencies.percentileMillis(l, 90), heavyMedian / lightMedian,
                    heavyMap == null ? 0 : heavyMap.total(), lightMap == null ? 0 : lightMap.total(),
                    heavyMap == null ? 0 : heavyMap.columns(), heavyMap == null ? 0 : heavyMap.rows(), heavyMap == null ? 0 : heavyMap.sigma());
        }

        private static Heatmap timed(LongFunction<Heatmap> request, long page, Latencies times) {
            long start = System.nanoTime();
            Heatmap map = request.apply(page);
            times.add((System.nanoTime() - start) / 1000);
            return map;
        }
    }

    /**
     * {@code events} raw events of one page between two instants, evenly in time: page views of three 50-event batches;
     * 35 % clicks, 55 % moves, 10 % scrolls (half timed); 80 % desktop (1920, 1440 or 1366 px wide), 15 % mobile,
     * 5 % tablet; 70 % of positions within ±40 px of one of the page's 300 hot spots, the rest anywhere on the page.
     * A click names the element box it lands in ({@link ElementBoxes}).
     */
    private static void generate(Jdbi jdbi, int siteId, long pageId, String tag, int events, Instant from, Instant to, int campaigns) {
        int batches = events / EVENTS_PER_BATCH;
        if (batches == 0) return;
        jdbi.useHandle(h -> {
            // With campaigns, page view n: campaign n mod N, variant A or B by (n div N) mod 2 (so every campaign has both),
            // direct every third, else search.
            h.createUpdate("""
                            INSERT INTO ingest_batch (site_id, pageview_id, seq, page_id, event_count, received_at,
                                referrer, utm_campaign, variant, browser, os, time_zone)
                            SELECT :site, md5(:tag || (b / :perView))::uuid, b % :perView, :page, :perBatch,
                                   :from::timestamptz + (b * :spanSeconds / :batches) * interval '1 second' + interval '5 seconds',
                                   CASE WHEN :campaigns > 0 THEN CASE WHEN (b / :perView) % 3 = 0 THEN 'direct' ELSE 'search' END END,
                                   CASE WHEN :campaigns > 0 THEN 'campaign-' || ((b / :perView) % greatest(:campaigns, 1)) END,
                                   CASE WHEN :campaigns > 0 THEN CASE WHEN (b / :perView / greatest(:campaigns, 1)) % 2 = 0 THEN 'A' ELSE 'B' END END,
                                   CASE WHEN :campaigns > 0 THEN 'Chrome' END, CASE WHEN :campaigns > 0 THEN 'Windows' END,
                                   CASE WHEN :campaigns > 0 THEN 'Europe/Paris' END
                            FROM generate_series(0, :batches - 1) b""")
                    .bind("campaigns", campaigns)
                    .bind("site", siteId).bind("tag", tag).bind("perView", BATCHES_PER_PAGEVIEW).bind("page", pageId)
                    .bind("perBatch", EVENTS_PER_BATCH).bind("batches", batches).bind("from", from.toString())
                    .bind("spanSeconds", (double) (to.getEpochSecond() - from.getEpochSecond() - 10))
                    .execute();
            h.createUpdate("""
                            INSERT INTO raw_event (<columns>)
                            SELECT b.site_id, b.page_id, b.pageview_id, b.seq, b.received_at - interval '5 seconds' + (e * interval '50 ms'),
                                   k.kind::event_kind, d.device::device_class, p.x, p.y, d.width - 15, d.height, d.width, d.viewport,
                                   CASE WHEN k.kind = 'click' THEN bx.selector END,
                                   CASE WHEN k.kind = 'click' THEN bx.box_x END,
                                   CASE WHEN k.kind = 'click' THEN bx.box_y END,
                                   false, k.kind = 'click' AND i % 5 <> 0, k.kind = 'click' AND i % 31 = 0,
                                   CASE WHEN k.kind = 'scroll' AND i % 2 = 0 THEN 1000 + i % 20000 END,
                                   CASE WHEN k.kind = 'scroll' THEN p.y::real / d.height END
                            FROM generate_series(0, :batches - 1) bn
                            JOIN ingest_batch b ON b.site_id = :site AND b.pageview_id = md5(:tag || (bn / :perView))::uuid AND b.seq = bn % :perView
                            CROSS JOIN generate_series(0, :perBatch - 1) e
                            CROSS JOIN LATERAL (SELECT bn * :perBatch + e AS i, bn / :perView AS pv) n
                            CROSS JOIN LATERAL (SELECT CASE WHEN i % 20 < 7 THEN 'click' WHEN i % 20 < 18 THEN 'move' ELSE 'scroll' END AS kind) k
                            CROSS JOIN LATERAL (SELECT (hashint4(pv * 3 + 1) & 2147483647) % 100 AS roll) r
                            CROSS JOIN LATERAL (
                                SELECT CASE WHEN roll < 80 THEN 'desktop' WHEN roll < 95 THEN 'mobile' ELSE 'tablet' END AS device,
                                       CASE WHEN roll < 80 THEN (ARRAY[1920, 1440, 1366])[1 + pv % 3] WHEN roll < 95 THEN 390 ELSE 820 END AS width,
                                       CASE WHEN roll < 80 THEN :desktopHeight WHEN roll < 95 THEN :mobileHeight ELSE :tabletHeight END AS height,
                                       CASE WHEN roll < 80 THEN 900 WHEN roll < 95 THEN 760 ELSE 1100 END AS viewport) d
                            CROSS JOIN LATERAL (SELECT (hashint4(i + 13) & 2147483647) % :spots AS spot, (hashint4(i + 17) & 2147483647) % 10 < 7 AS hot) s
                            CROSS JOIN LATERAL (
                                SELECT CASE WHEN hot THEN greatest(0, least(d.width - 16, ((hashint4(spot * 7 + :page::int) & 2147483647) % 10000) * (d.width - 15) / 10000
                                                                                + (hashint4(i) & 2147483647) % 81 - 40))
                                            ELSE (hashint4(i) & 2147483647) % (d.width - 15) END AS x,
                                       CASE WHEN hot THEN greatest(0, least(d.height - 1, ((hashint4(spot * 7 + :page::int + 1) & 2147483647) % 10000) * d.height / 10000
                                                                                + (hashint4(i + 7) & 2147483647) % 81 - 40))
                                            ELSE (hashint4(i + 7) & 2147483647) % d.height END AS y) p
                            <boxes>""")
                    .define("columns", RawEvent.columnList())
                    .define("boxes", ElementBoxes.lateral("bx", "p.x", "p.y", "d.width - 15", "d.height", "d.device"))
                    .bind("site", siteId).bind("tag", tag).bind("page", pageId).bind("perView", BATCHES_PER_PAGEVIEW)
                    .bind("perBatch", EVENTS_PER_BATCH).bind("batches", batches).bind("spots", HOT_SPOTS)
                    .bind("desktopHeight", DOCUMENT_HEIGHTS.get("desktop")).bind("mobileHeight", DOCUMENT_HEIGHTS.get("mobile"))
                    .bind("tabletHeight", DOCUMENT_HEIGHTS.get("tablet"))
                    .execute();
        });
    }
}
