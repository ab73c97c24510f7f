package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotherm.aggregator.Aggregator;
import io.isotherm.aggregator.AggregatorSettings;
import io.isotherm.dashboard.access.AccessMode;
import io.isotherm.dashboard.groups.PageGroups;
import io.isotherm.dashboard.groups.PathPattern;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.event.RawEventPartitions;
import io.isotherm.db.page.PageDao;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import io.isotherm.db.site.SiteSettings;
import io.isotherm.grid.BlockRefresh;
import io.isotherm.grid.GridGeometry;
import io.isotherm.grid.Layouts;
import io.isotherm.testing.TestServer;
import io.javalin.Javalin;
import org.jdbi.v3.core.Jdbi;

import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records the fixture of {@link MigratedSegmentsTest}: V20's aggregates of a known event set with traffic segments, and
 * what the read API answered on them filtered by segment. Recorded at commit 484db0a (schema V20), before the segments'
 * count rows move to another table: it keeps what the V20 aggregator and refresh made of them (click_target, heat_tile
 * and element_day rows with segment_id > 0), and refuses to run on any schema but 20. Its output is committed; running
 * it again makes a new fixture (another site key, days ending at the day it runs), not the same files.
 *
 * <p>The events go in through the collector's own steps ({@link CollectorPath}), so the segments are the collector's
 * classes of what a browser sends. They are aggregated in three runs, the refresh after the first only, so the dump
 * holds a segment's counts in both of V20's forms: its day rows (span 1) and parts not yet added to them (span 0), on
 * a day that has both and on a day of parts only. The refresh of the stored 7- and 30-day views is left out: they are
 * never read filtered, they would make the dump megabytes, and {@link MigratedAggregatesTest} covers them.
 *
 * <p>As for {@link V11FixtureRecorder}, the collector's classes must be on the class path:
 * <pre>
 * mvn -o -q -B -pl dashboard,collector -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
 *     -Dmdep.outputFile=target/cp.txt -Dexec.skip
 * java -cp dashboard/target/test-classes:dashboard/target/classes:collector/target/classes:$(cat dashboard/target/cp.txt):$(cat collector/target/cp.txt) \
 *     io.isotherm.dashboard.V20SegmentFixtureRecorder dashboard/src/test/resources/migration
 * </pre>
 */
public final class V20SegmentFixtureRecorder {
    static final String ZONE = "Europe/Paris";
    static final int DAYS = 5;
    static final String SCHEMA = "20";
    private static final String COMMIT = "484db0a";
    private static final long SEED = 20;

    /** The filters asked: single values, two dimensions at once, the visitors of no country, and a campaign nobody came from. */
    static final List<String> FILTERS = List.of("utm_campaign=spring", "browser=Safari", "country=JP", "country=",
            "utm_campaign=spring&country=US", "referrer=search&variant=B", "utm_campaign=winter");

    /** The group's pages are desktop pages: its filters, those that find desktop visitors. */
    private static final List<String> GROUP_FILTERS = List.of("", "utm_campaign=spring", "browser=Safari", "referrer=search&variant=B");

    private V20SegmentFixtureRecorder() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "dashboard/src/test/resources/migration");
        Files.createDirectories(out);
        try (Database db = TestPostgres.open()) {
            Jdbi jdbi = db.jdbi();
            String schema = jdbi.withHandle(h -> h.createQuery("SELECT max(version::int) FROM flyway_schema_history WHERE success")
                    .mapTo(String.class).one());
            if (!schema.equals(SCHEMA)) throw new IllegalStateException("schema V" + schema + ": this recorder runs on V" + SCHEMA + " only");

            Site site = new SiteDao(jdbi).add(new SiteSettings("Shop", List.of(V20SegmentEventSet.ORIGIN), List.of(), ZONE, List.of(),
                    null, null, null));
            LocalDate today = jdbi.withHandle(h -> h.createQuery("SELECT (now() AT TIME ZONE :zone)::date").bind("zone", ZONE)
                    .mapTo(LocalDate.class).one());
            PageDao pages = new PageDao(jdbi);
            Map<String, Long> pageIds = new LinkedHashMap<>();
            for (V20SegmentEventSet.Screen s : V20SegmentEventSet.SCREENS) pageIds.computeIfAbsent(s.url(), url -> pages.idFor(site, url));
            Instant captured = today.minusDays(DAYS + 2).atStartOfDay(ZoneId.of(ZONE)).toInstant();
            jdbi.useTransaction(h -> {
                for (V20SegmentEventSet.Screen s : V20SegmentEventSet.SCREENS) {
                    if (s.captured()) Layouts.replace(h, site.id(), pageIds.get(s.url()), s.device(), s.boxes(), captured);
                }
            });
            // The blog posts pooled: a group's reports add up its members' segment rows.
            long group = new PageGroups(jdbi).add(site.id(), "Blog", PathPattern.parse("/blog/:slug", "pattern"), null).id();
            new RawEventPartitions(jdbi, 0).ensure(today.minusDays(DAYS + 3), DAYS + 5);

            V20SegmentEventSet events = new V20SegmentEventSet(site.publicKey(), ZoneId.of(ZONE), today, DAYS, SEED);
            LocalDate mixedDay = today.minusDays(2), partsDay = today.minusDays(1);
            var collector = new CollectorPath(V20SegmentEventSet.ORIGIN);
            Aggregator aggregator = new Aggregator(jdbi, AggregatorSettings.defaults());
            BlockRefresh refresh = new BlockRefresh(jdbi);
            // Run 1: every batch of the first days, the first batch of each page view of the mixed day; then the refresh
            // makes each segment's day one row.
            int stored = collector.ingest(jdbi, site, pageIds, batchesOfRun(events, 1, mixedDay));
            int aggregated = aggregator.drain().batches();
            int refreshed = refresh.refresh();
            // Run 2: the mixed day's later batches, parts on days with rows; the last day's first batches, parts alone.
            stored += collector.ingest(jdbi, site, pageIds, batchesOfRun(events, 2, mixedDay));
            aggregated += aggregator.drain().batches();
            // Run 3: the last day's later batches, a second part of the same keys.
            stored += collector.ingest(jdbi, site, pageIds, batchesOfRun(events, 3, mixedDay));
            aggregated += aggregator.drain().batches();
            if (stored != events.batches().size() || aggregated != stored || refreshed == 0) {
                throw new IllegalStateException("stored " + stored + " of " + events.batches().size() + " batches, aggregated "
                        + aggregated + ", refreshed " + refreshed + " days");
            }
            String shape = segmentRows(jdbi, site.id(), partsDay);

            String about = "Isotherm V20 aggregates with traffic segments for MigratedSegmentsTest, recorded by V20SegmentFixtureRecorder at "
                    + COMMIT + " on " + today + "\nsite " + site.publicKey() + " (" + ZONE + "), " + events.events() + " events in " + stored
                    + " batches, the " + DAYS + " days before " + today + " (and the next morning); three aggregation runs, the refresh "
                    + "after the first: " + mixedDay + " has segment day rows and parts, " + partsDay + " parts only\n" + shape;
            Map<String, Integer> tables;
            try (var c = db.dataSource().getConnection();
                 OutputStream file = Files.newOutputStream(out.resolve("v20-segments-aggregates.copy.gz"))) {
                tables = AggregateDump.write(c, file, about);
            }
            System.out.println("dumped " + tables + "\n" + shape);

            Clock clock = Clock.fixed(today.atTime(12, 0).atZone(ZoneId.of(ZONE)).toInstant(), ZoneId.of(ZONE));
            try (Dashboard dashboard = new Dashboard(jdbi, GridGeometry.defaults(),
                    DashboardSettings.defaults().withCaptureWorker(false, false).withAccess(AccessMode.LOCAL), clock)) {
                Javalin app = TestServer.start("127.0.0.1", dashboard::routes);
                try {
                    List<String> lines = new ArrayList<>();
                    for (String request : requests(site.publicKey(), today, group)) {
                        ObjectNode answer = RecordedAnswers.fetch("http://127.0.0.1:" + app.port(), request);
                        if (answer.get("status").intValue() != 200) throw new IllegalStateException(request + " answered " + answer);
                        lines.add(RecordedAnswers.JSON.writeValueAsString(request) + ": " + RecordedAnswers.JSON.writeValueAsString(answer));
                    }
                    ObjectNode head = RecordedAnswers.JSON.createObjectNode().put("about", about).put("commit", COMMIT)
                            .put("schema", schema).put("site", site.publicKey()).put("today", today.toString())
                            .put("events", events.events()).put("batches", stored);
                    String text = RecordedAnswers.JSON.writeValueAsString(head);
                    Files.writeString(out.resolve("v20-segments-answers.json"), text.substring(0, text.length() - 1)
                            + ",\n\"answers\": {\n" + String.join(",\n", lines) + "\n}}\n");
                    System.out.println("recorded " + lines.size() + " answers, " + events.events() + " events, " + stored + " batches");
                } finally {
                    app.stop();
                }
            }
        }
    }

    /**
     * The batches of one aggregation run, by their page view's day: the days before the mixed day go in run 1; on the
     * mixed day first batches in run 1, later ones in run 2; after it, first batches in run 2 and later ones in run 3.
     */
    private static List<CollectorPath.Sent> batchesOfRun(V20SegmentEventSet events, int run, LocalDate mixedDay) {
        return events.batches().stream().filter(b -> {
            boolean first = b.sent().seq() == 0;
            int of = b.day().isBefore(mixedDay) ? 1 : b.day().equals(mixedDay) ? (first ? 1 : 2) : (first ? 2 : 3);
            return of == run;
        }).map(V20SegmentEventSet.Batch::sent).toList();
    }

    /**
     * The segments' count rows as the fixture needs them, described for the dump's header; fails if the runs did not
     * leave segment rows in both forms, on a day with both and on a day of parts alone, and element rows of segments.
     */
    private static String segmentRows(Jdbi jdbi, int siteId, LocalDate partsDay) {
        return jdbi.withHandle(h -> {
            Map<String, Object> n = h.createQuery("""
                            SELECT (SELECT count(*) FROM segment WHERE site_id = :site) AS segments,
                                   (SELECT count(*) FROM click_target WHERE site_id = :site AND segment_id > 0 AND span = 0) AS target_parts,
                                   (SELECT count(*) FROM click_target WHERE site_id = :site AND segment_id > 0 AND span = 1) AS target_rows,
                                   (SELECT count(*) FROM click_target WHERE site_id = :site AND segment_id > 0 AND span > 1) AS target_longer,
                                   (SELECT count(*) FROM heat_tile WHERE site_id = :site AND segment_id > 0 AND span = 0) AS tile_parts,
                                   (SELECT count(*) FROM heat_tile WHERE site_id = :site AND segment_id > 0 AND span = 1) AS tile_rows,
                                   (SELECT count(*) FROM element_day WHERE site_id = :site AND segment_id > 0) AS elements,
                                   (SELECT count(*) FROM click_target p WHERE p.site_id = :site AND p.segment_id > 0 AND p.span = 0
                                      AND EXISTS (SELECT FROM click_target r WHERE r.site_id = p.site_id AND r.page_id = p.page_id
                                                    AND r.device = p.device AND r.segment_id = p.segment_id AND r.first_day = p.first_day
                                                    AND r.span = 1 AND r.selector = p.selector)) AS parts_on_rows,
                                   (SELECT count(*) FROM click_target WHERE site_id = :site AND segment_id > 0 AND span = 0
                                      AND first_day = :partsDay) AS parts_alone,
                                   (SELECT count(*) FROM click_target WHERE site_id = :site AND segment_id > 0 AND span = 1
                                      AND first_day = :partsDay) AS rows_on_parts_day""")
                    .bind("site", siteId).bind("partsDay", partsDay).mapToMap().one();
            String text = "segments " + n.get("segments") + "; segment rows: click_target span 0 " + n.get("target_parts")
                    + " (on a day row's key " + n.get("parts_on_rows") + ", on " + partsDay + " " + n.get("parts_alone") + "), span 1 "
                    + n.get("target_rows") + "; heat_tile span 0 " + n.get("tile_parts") + ", span 1 " + n.get("tile_rows")
                    + "; element_day " + n.get("elements");
            for (String needed : List.of("target_parts", "target_rows", "tile_parts", "tile_rows", "elements", "parts_on_rows", "parts_alone")) {
                if (((Number) n.get(needed)).longValue() == 0) throw new IllegalStateException("no " + needed + ": " + text);
            }
            if (((Number) n.get("target_longer")).longValue() != 0 || ((Number) n.get("rows_on_parts_day")).longValue() != 0) {
                throw new IllegalStateException("segment rows longer than a day, or rows on the day of parts alone: " + text);
            }
            return text;
        });
    }

    /**
     * Every question asked, always with explicit {@code from} and {@code to} so no answer depends on the day it is
     * asked. Ranges: the day of parts alone, the day of rows and parts, the whole fixture with a day either side, and
     * (fewer questions) two days of rows alone. Per filter and unfiltered: clicks (JSON with counts) and elements of the
     * home page on desktop and mobile (with layouts) and of the pricing page on mobile (without one), scroll of the
     * first two; for three filters their moves and the desktop clicks as heatmap.bin; the blog group's clicks and
     * elements for the filters that find desktop visitors; the segments offered.
     */
    static List<String> requests(String site, LocalDate today, long group) {
        String base = "/api/sites/" + site + "/";
        List<String> filters = new ArrayList<>(FILTERS);
        filters.add("");
        List<String> ranges = List.of(range(today.minusDays(1), today.minusDays(1)), range(today.minusDays(2), today.minusDays(2)),
                range(today.minusDays(DAYS + 1), today));
        List<String> requests = new ArrayList<>();
        for (String range : ranges) {
            for (String filter : filters) {
                String f = filter.isEmpty() ? "" : "&" + filter;
                boolean common = filter.isEmpty() || filter.equals("utm_campaign=spring") || filter.equals("utm_campaign=spring&country=US");
                for (String[] screen : List.of(new String[]{V20SegmentEventSet.HOME, "desktop"}, new String[]{V20SegmentEventSet.HOME, "mobile"},
                        new String[]{V20SegmentEventSet.PRICING, "mobile"})) {
                    String p = "page=" + URLEncoder.encode(screen[0], StandardCharsets.UTF_8) + "&device=" + screen[1] + "&" + range + f;
                    requests.add(base + "heatmap?" + p + "&kind=click&raw=true");
                    requests.add(base + "elements?" + p);
                    if (screen[0].equals(V20SegmentEventSet.PRICING)) continue;
                    requests.add(base + "scroll?" + p);
                    if (common) requests.add(base + "heatmap?" + p + "&kind=move&raw=true");
                    if (common && screen[1].equals("desktop")) requests.add(base + "heatmap.bin?" + p + "&kind=click");
                }
                if (GROUP_FILTERS.contains(filter)) {
                    String g = "groups/" + group + "/";
                    requests.add(base + g + "heatmap?device=desktop&" + range + f + "&kind=click&raw=true");
                    requests.add(base + g + "elements?device=desktop&" + range + f);
                }
            }
        }
        // Two days of day rows alone (the refresh made them), a few questions.
        String rows = range(today.minusDays(4), today.minusDays(3));
        for (String filter : List.of("", "&utm_campaign=spring", "&country=JP")) {
            String p = "page=" + URLEncoder.encode(V20SegmentEventSet.HOME, StandardCharsets.UTF_8) + "&device=desktop&" + rows + filter;
            requests.add(base + "heatmap?" + p + "&kind=click&raw=true");
            requests.add(base + "elements?" + p);
        }
        requests.add(base + "segments?" + ranges.get(2));
        requests.add(base + "segments?page=" + URLEncoder.encode(V20SegmentEventSet.HOME, StandardCharsets.UTF_8) + "&" + ranges.get(2));
        return requests;
    }

    private static String range(LocalDate from, LocalDate to) {
        return "from=" + from + "&to=" + to;
    }
}
