package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotherm.aggregator.Aggregator;
import io.isotherm.aggregator.AggregatorSettings;
import io.isotherm.dashboard.access.AccessMode;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.event.RawEventPartitions;
import io.isotherm.db.page.PageDao;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import io.isotherm.db.site.SiteSettings;
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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records the fixture of {@link MigratedAggregatesTest}: V11's aggregates of a known event set, and what the read API
 * answered on them. Recorded at commit 36fcfe0 (schema V11). It can only run on a schema of version 11 or lower: it
 * exists to keep what the old code path (the V11 aggregator writing heat_cell and click_anchor) made, and refuses to
 * run on a later schema. Its output is committed; running it again makes a new fixture (another site key, days
 * ending at the day it runs), not the same files.
 *
 * <p>The events go in as {@code POST /api/collect} bodies through the collector's own steps and group-commit
 * transaction ({@code DirectIngest}, {@code IngestTransaction}, as the bench's CopyCeiling does), which take the
 * receive time, so the days lie in the past. The dashboard module does not depend on the collector, so they are
 * reached by reflection, and the collector's classes must be on the class path when this runs:
 * <pre>
 * mvn -o -q -B -pl dashboard,collector -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
 *     -Dmdep.outputFile=target/cp.txt -Dexec.skip
 * java -cp dashboard/target/test-classes:dashboard/target/classes:collector/target/classes:$(cat dashboard/target/cp.txt):$(cat collector/target/cp.txt) \
 *     io.isotherm.dashboard.V11FixtureRecorder dashboard/src/test/resources/migration
 * </pre>
 */
public final class V11FixtureRecorder {
    static final String ZONE = "America/New_York";
    static final int DAYS = 10;
    private static final long SEED = 15;
    private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private V11FixtureRecorder() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "dashboard/src/test/resources/migration");
        Files.createDirectories(out);
        try (Database db = TestPostgres.open()) {
            Jdbi jdbi = db.jdbi();
            String schema = jdbi.withHandle(h -> h.createQuery("SELECT max(version::int) FROM flyway_schema_history WHERE success")
                    .mapTo(String.class).one());
            if (Integer.parseInt(schema) > 11) throw new IllegalStateException("schema V" + schema + ": this recorder runs on V11 or lower only");

            Site site = new SiteDao(jdbi).add(new SiteSettings("Shop", List.of(V11EventSet.ORIGIN), List.of(), ZONE, List.of(), null, null, null));
            // The stored 7- and 30-day views end at the site's today (the database's clock): the fixture ends there too.
            LocalDate today = jdbi.withHandle(h -> h.createQuery("SELECT (now() AT TIME ZONE :zone)::date").bind("zone", ZONE)
                    .mapTo(LocalDate.class).one());
            PageDao pages = new PageDao(jdbi);
            Map<String, Long> pageIds = new LinkedHashMap<>();
            for (V11EventSet.Screen s : V11EventSet.SCREENS) pageIds.computeIfAbsent(s.url(), url -> pages.idFor(site, url));
            Instant captured = today.minusDays(DAYS + 2).atStartOfDay(ZoneId.of(ZONE)).toInstant();
            jdbi.useTransaction(h -> {
                for (V11EventSet.Screen s : V11EventSet.SCREENS) {
                    if (!s.boxes().isEmpty()) Layouts.replace(h, site.id(), pageIds.get(s.url()), s.device(), s.boxes(), captured);
                }
            });
            new RawEventPartitions(jdbi, 0).ensure(today.minusDays(DAYS + 3), DAYS + 5);

            V11EventSet events = new V11EventSet(site.publicKey(), ZoneId.of(ZONE), today, DAYS, SEED);
            var collector = new CollectorPath(V11EventSet.ORIGIN);
            // Views refreshed on every pass (not at most every 5 min): the second pass stores views of all the counts.
            Aggregator aggregator = new Aggregator(jdbi, AggregatorSettings.defaults().withViewRefresh(Duration.ZERO));
            // Two passes, the page views' first batches and then the rest, so page views are merged across runs.
            int stored = collector.ingest(jdbi, site, pageIds, sent(events.batches().stream().filter(b -> b.seq() == 0).toList()));
            Aggregator.Pass first = aggregator.aggregatePending();
            stored += collector.ingest(jdbi, site, pageIds, sent(events.batches().stream().filter(b -> b.seq() > 0).toList()));
            Aggregator.Pass second = aggregator.aggregatePending();
            if (stored != events.batches().size() || first.batches() + second.batches() != stored) {
                throw new IllegalStateException("stored " + stored + " of " + events.batches().size() + " batches, aggregated "
                        + (first.batches() + second.batches()));
            }
            // A new screenshot after the counts: the home page's desktop click views are dropped and marked dirty.
            jdbi.useTransaction(h -> Layouts.replace(h, site.id(), pageIds.get(V11EventSet.ORIGIN + "/"), "desktop",
                    V11EventSet.HOME_DESKTOP_LATER, captured.plusSeconds(86_400)));

            String about = "Isotherm V11 aggregates for MigratedAggregatesTest, recorded by V11FixtureRecorder at 36fcfe0 on " + today
                    + "\nsite " + site.publicKey() + " (" + ZONE + "), " + events.events() + " events in " + stored + " batches, "
                    + "the " + DAYS + " days before " + today + " (and either side of them)";
            Map<String, Integer> tables;
            try (var c = db.dataSource().getConnection(); OutputStream file = Files.newOutputStream(out.resolve("v11-aggregates.copy.gz"))) {
                tables = AggregateDump.write(c, file, about);
            }
            System.out.println("dumped " + tables);

            Clock clock = Clock.fixed(today.atTime(12, 0).atZone(ZoneId.of(ZONE)).toInstant(), ZoneId.of(ZONE));
            try (Dashboard dashboard = new Dashboard(jdbi, GridGeometry.defaults(),
                    DashboardSettings.defaults().withCaptureWorker(false, false).withAccess(AccessMode.LOCAL), clock)) {
                Javalin app = TestServer.start("127.0.0.1", dashboard::routes);
                try {
                    List<String> lines = new ArrayList<>();
                    for (String request : requests(site.publicKey(), today, List.copyOf(pageIds.keySet()))) {
                        ObjectNode answer = RecordedAnswers.fetch("http://127.0.0.1:" + app.port(), request);
                        if (answer.get("status").intValue() != 200) throw new IllegalStateException(request + " answered " + answer);
                        lines.add(RecordedAnswers.JSON.writeValueAsString(request) + ": " + RecordedAnswers.JSON.writeValueAsString(answer));
                    }
                    ObjectNode head = RecordedAnswers.JSON.createObjectNode().put("about", about).put("commit", "36fcfe0")
                            .put("schema", schema).put("site", site.publicKey()).put("today", today.toString())
                            .put("events", events.events()).put("batches", stored);
                    String text = RecordedAnswers.JSON.writeValueAsString(head);
                    Files.writeString(out.resolve("v11-answers.json"), text.substring(0, text.length() - 1)
                            + ",\n\"answers\": {\n" + String.join(",\n", lines) + "\n}}\n");
                    System.out.println("recorded " + lines.size() + " answers, " + events.events() + " events, " + stored + " batches");
                } finally {
                    app.stop();
                }
            }
        }
    }

    /**
     * Every question asked, always with explicit {@code from} and {@code to} so no answer depends on the day it is
     * asked: one day, the stored 7- and 30-day views, an arbitrary 4 days, the whole fixture (a page view
     * starts 20 s before its first day); every page × device class × kind at the default σ and two others (JSON with counts), heatmap.bin
     * at the default σ, elements and scroll per page and device class, calendar per page, the pages list.
     */
    static List<String> requests(String site, LocalDate today, List<String> pages) {
        List<LocalDate[]> ranges = List.of(
                new LocalDate[]{today.minusDays(3), today.minusDays(3)},
                new LocalDate[]{today.minusDays(DAYS), today.minusDays(DAYS)},
                new LocalDate[]{today.minusDays(6), today},
                new LocalDate[]{today.minusDays(29), today},
                new LocalDate[]{today.minusDays(8), today.minusDays(5)},
                new LocalDate[]{today.minusDays(DAYS + 1), today});
        List<String> requests = new ArrayList<>();
        String base = "/api/sites/" + site + "/";
        for (LocalDate[] r : ranges) {
            String range = "from=" + r[0] + "&to=" + r[1];
            requests.add(base + "pages?" + range);
            for (String page : pages) {
                String p = "page=" + URLEncoder.encode(page, StandardCharsets.UTF_8) + "&" + range;
                requests.add(base + "calendar?" + p);
                for (String device : List.of("desktop", "tablet", "mobile")) {
                    requests.add(base + "elements?" + p + "&device=" + device);
                    requests.add(base + "scroll?" + p + "&device=" + device);
                    for (String kind : List.of("click", "move")) {
                        String q = p + "&device=" + device + "&kind=" + kind;
                        requests.add(base + "heatmap.bin?" + q);
                        requests.add(base + "heatmap?" + q + "&raw=true");
                        requests.add(base + "heatmap?" + q + "&raw=true&sigma=12");
                        requests.add(base + "heatmap?" + q + "&raw=true&sigma=30");
                    }
                }
            }
        }
        return requests;
    }

    /** The same browser for every batch: the V11 schema knew no segments. */
    private static List<CollectorPath.Sent> sent(List<V11EventSet.Batch> batches) {
        return batches.stream().map(b -> new CollectorPath.Sent(USER_AGENT, b.body(), b.pageview(), b.seq(), b.receivedAt())).toList();
    }
}
