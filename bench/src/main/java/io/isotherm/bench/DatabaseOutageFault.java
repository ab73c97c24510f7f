package io.isotherm.bench;

import io.isotherm.collector.Collector;
import io.isotherm.collector.CollectLimits;
import io.isotherm.collector.CollectorSettings;
import io.isotherm.db.Database;
import io.isotherm.db.EmbeddedDatabase;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import io.isotherm.testing.TestServer;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault: the database stopped for 20 s under load, with the real tracker in Chromium retrying. A collector (in this
 * JVM, on a real port) stores into an embedded PostgreSQL that this process owns; a headless Chromium with the
 * tracker clicks a page steadily, and HTTP clients that resend a batch until it is answered 202 add load. In the
 * middle PostgreSQL is stopped (a clean shutdown) and started again after the outage on the same port. At the end,
 * after the page is left (its last batches go by beacon), the counts must be exact: every click the page made is
 * stored once, every batch stored with all its events and no sequence number skipped, and every batch the clients had
 * answered 202 stored once. Prints one RESULT line; exits 1 on any mismatch.
 */
public final class DatabaseOutageFault {
    private static final String USAGE = """
            usage: DatabaseOutageFault [options]
              --outage-seconds S   how long PostgreSQL stays stopped (default 20)
              --mode stop|freeze   stop: a clean shutdown, then a start on the same port (default); freeze: every
                                   PostgreSQL process paused (SIGSTOP) and resumed (SIGCONT), so transactions in
                                   flight hang and their batches are answered 503 on timeout, yet commit afterwards
              --before-seconds S   load before the outage (default 8)
              --after-seconds S    load after the outage (default 8)
              --clients N          HTTP clients besides the browser (default 4)
              --chromium PATH      (default /usr/bin/chromium)
              --chromedriver PATH  (default /usr/bin/chromedriver)""";
    private static final String LOAD_ORIGIN = "https://shop.example";
    private static final int EVENTS_PER_BATCH = 3;
    /** The tracker's longest wait between retries is 60 s; after the page is left, its beacons come at once. */
    private static final Duration QUIET = Duration.ofSeconds(3);

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, USAGE, Set.of("outage-seconds", "mode", "before-seconds", "after-seconds", "clients",
                "chromium", "chromedriver"));
        int outage = args.integer("outage-seconds", 20);
        int before = args.integer("before-seconds", 8);
        int after = args.integer("after-seconds", 8);
        int clients = args.integer("clients", 4);
        String mode = args.text("mode", "stop");
        if (!mode.equals("stop") && !mode.equals("freeze")) args.fail("--mode is stop or freeze");
        Path dataDir = Files.createTempDirectory("isotherm-outage-");
        boolean ok;
        try {
            ok = run(dataDir, mode.equals("freeze"), outage, before, after, clients, args.text("chromium", "/usr/bin/chromium"),
                    args.text("chromedriver", "/usr/bin/chromedriver"));
        } finally {
            ScratchDirectory.delete(dataDir);
        }
        System.exit(ok ? 0 : 1);
    }

    private static boolean run(Path dataDir, boolean freeze, int outage, int before, int after, int clients, String chromium,
                               String chromedriver) throws Exception {
        EmbeddedDatabase postgres = EmbeddedDatabase.startOrAttach(dataDir);
        int pgPort = postgres.port();
        Database db = Database.open(postgres.settings(10), null);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // The load clients and the browser stand for many visitors, all behind 127.0.0.1: no per-address limits.
        CollectorSettings settings = CollectorSettings.defaults()
                .withLimits(CollectLimits.defaults().withBatchesPerAddress(0, 0).withPageviewsPerAddress(0, 0));
        Collector collector = new Collector(db, settings, 7, registry);
        Javalin server = TestServer.start("127.0.0.1", config -> {
            collector.routes(config);
            config.routes.get("/page.html", ctx -> ctx.html(page(ctx.queryParam("site"))));
        });
        String origin = "http://127.0.0.1:" + server.port();
        SiteDao sites = new SiteDao(db.jdbi());
        Site browserSite = sites.add("Browser", List.of(origin), List.of());
        Site loadSite = sites.add("Load", List.of(LOAD_ORIGIN), List.of());
        Load load = new Load(URI.create(origin + "/api/collect"), loadSite.publicKey(), clients);
        AtomicInteger clicks = new AtomicInteger();
        AtomicBoolean clicking = new AtomicBoolean(true);
        long beforeLeaving;
        try (HeadlessChromium browser = new HeadlessChromium(chromium, chromedriver, 1280, 800)) {
            ChromeDriver driver = browser.driver;
            driver.get(origin + "/page.html?site=" + browserSite.publicKey());
            Thread clicker = new Thread(() -> clickSteadily(driver, clicks, clicking), "clicker");
            clicker.start();
            load.start();

            Thread.sleep(before * 1000L);
            log("%s PostgreSQL for %d s (%d clicks, %d batches acknowledged so far)", freeze ? "freezing" : "stopping",
                    outage, clicks.get(), load.acknowledged.size());
            if (freeze) {
                List<Long> pids = postgresProcesses(dataDir);
                signal("STOP", pids);
                Thread.sleep(outage * 1000L);
                signal("CONT", pids);
            } else {
                postgres.close();
                Thread.sleep(outage * 1000L);
                postgres = EmbeddedDatabase.startOrAttach(dataDir, pgPort);
            }
            long back = System.nanoTime();
            log("PostgreSQL is back on port %d", pgPort);
            Thread.sleep(after * 1000L);

            clicking.set(false);
            clicker.join();
            load.stop();
            // The tracker's retries come due by themselves (its backoff doubles up to 32 s during a 20 s outage); only
            // what it still holds after that goes by beacon, when the page is left.
            long retries = Duration.ofSeconds(outage + 20).toNanos() - (System.nanoTime() - back);
            if (retries > 0) Thread.sleep(retries / 1_000_000);
            awaitQuiet(db, browserSite.id(), Duration.ofSeconds(60));
            beforeLeaving = count(db, "SELECT count(*) FROM ingest_batch WHERE site_id = " + browserSite.id());
            log("leaving the page: %d of its batches stored so far", beforeLeaving);
            driver.get("about:blank");
            awaitQuiet(db, browserSite.id(), Duration.ofSeconds(30));
        } finally {
            clicking.set(false);
            load.stop();
            server.stop();
            collector.close();
        }

        List<String> problems = new ArrayList<>();
        List<UUID> pageviews = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT DISTINCT pageview_id FROM ingest_batch WHERE site_id = :s").bind("s", browserSite.id()).mapTo(UUID.class).list());
        if (pageviews.size() != 1) problems.add("page views stored for the browser: " + pageviews.size() + ", expected 1");
        long storedClicks = count(db, "SELECT count(*) FROM raw_event WHERE site_id = " + browserSite.id() + " AND kind = 'click'");
        if (storedClicks != clicks.get()) problems.add("clicks stored " + storedClicks + ", clicked " + clicks.get());
        long incomplete = count(db, "SELECT count(*) FROM ingest_batch b WHERE b.site_id IN (" + browserSite.id() + ", "
                + loadSite.id() + ") AND b.event_count <> (SELECT count(*) FROM raw_event e WHERE e.site_id = b.site_id "
                + "AND e.pageview_id = b.pageview_id AND e.seq = b.seq)");
        if (incomplete != 0) problems.add(incomplete + " batches not stored with exactly their events");
        long seqs = count(db, "SELECT count(*) FROM ingest_batch WHERE site_id = " + browserSite.id());
        long maxSeq = count(db, "SELECT coalesce(max(seq) + 1, 0) FROM ingest_batch WHERE site_id = " + browserSite.id());
        if (seqs != maxSeq) problems.add("the browser's seqs skip: " + seqs + " batches, highest seq " + (maxSeq - 1));
        Set<UUID> storedLoad = Set.copyOf(db.jdbi().withHandle(h -> h.createQuery(
                "SELECT pageview_id FROM ingest_batch WHERE site_id = :s").bind("s", loadSite.id()).mapTo(UUID.class).list()));
        if (!storedLoad.equals(load.acknowledged)) {
            problems.add("load batches: acknowledged " + load.acknowledged.size() + ", stored " + storedLoad.size()
                    + ", acknowledged but not stored " + load.acknowledged.stream().filter(p -> !storedLoad.contains(p)).count());
        }
        long loadEvents = count(db, "SELECT count(*) FROM raw_event WHERE site_id = " + loadSite.id());
        if (loadEvents != (long) EVENTS_PER_BATCH * storedLoad.size()) problems.add("load events " + loadEvents);
        double unavailable = registry.find("isotherm.collect.batches.rejected").tag("reason", "database_unavailable")
                .counters().stream().mapToDouble(c -> c.count()).sum();
        // Batches that arrived again after they were stored: the 503s for batches whose commit did succeed.
        double duplicates = registry.find("isotherm.collect.batches.duplicate").counters().stream().mapToDouble(c -> c.count()).sum();
        if (unavailable == 0) problems.add("no batch was answered 503: the outage was not felt");
        if (load.unexpected.get() != 0) problems.add(load.unexpected.get() + " answers other than 202 and 503");

        System.out.printf("RESULT mode=%s outage_s=%d clicks=%d clicks_stored=%d browser_batches=%d browser_batches_before_leaving=%d load_acknowledged=%d "
                        + "load_stored=%d load_retried_batches=%d answered_503=%.0f repeats_answered_202=%.0f problems=%d%n", freeze ? "freeze" : "stop", outage, clicks.get(),
                storedClicks, seqs, beforeLeaving, load.acknowledged.size(), storedLoad.size(), load.retried.get(), unavailable, duplicates, problems.size());
        problems.forEach(p -> System.out.println("MISMATCH " + p));
        db.close();
        postgres.close();
        return problems.isEmpty();
    }

    /** The postmaster of the data directory and every process under it (its backends and workers). */
    private static List<Long> postgresProcesses(Path dataDir) throws IOException {
        long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim());
        List<Long> pids = new ArrayList<>(List.of(postmaster));
        ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        return pids;
    }

    private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> command.add(Long.toString(p)));
        int status = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (status != 0) throw new IllegalStateException("kill -" + signal + " failed for " + pids);
    }

    private static String page(String site) {
        StringBuilder html = new StringBuilder("<!doctype html><html><head><title>Outage</title>"
                + "<script defer src=\"/t.js\" data-site=\"" + site + "\"></script></head><body style=\"margin:0\">");
        for (int i = 0; i < 40; i++) {
            html.append("<button id=\"b").append(i).append("\" style=\"position:absolute;left:").append(20 + (i % 8) * 150)
                    .append("px;top:").append(20 + (i / 8) * 120).append("px;width:120px;height:80px\">").append(i).append("</button>");
        }
        return html.append("</body></html>").toString();
    }

    /** Trusted clicks (through DevTools' input events) on the page's buttons in turn, ten a second. */
    private static void clickSteadily(ChromeDriver driver, AtomicInteger clicks, AtomicBoolean clicking) {
        int i = 0;
        while (clicking.get()) {
            int x = 20 + (i % 8) * 150 + 60, y = 20 + ((i / 8) % 5) * 120 + 40;
            for (String type : List.of("mousePressed", "mouseReleased")) {
                driver.executeCdpCommand("Input.dispatchMouseEvent", Map.of("type", type, "x", x, "y", y,
                        "button", "left", "clickCount", 1));
            }
            clicks.incrementAndGet();
            i++;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Waits until no receipt was added for the site for {@link #QUIET}, at most {@code max}. */
    private static void awaitQuiet(Database db, int siteId, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        long last = -1, since = System.nanoTime();
        while (System.nanoTime() < end) {
            long n;
            try {
                n = count(db, "SELECT count(*) FROM ingest_batch WHERE site_id = " + siteId);
            } catch (RuntimeException e) {
                n = -2; // still away
            }
            if (n != last) {
                last = n;
                since = System.nanoTime();
            } else if (System.nanoTime() - since > QUIET.toNanos() && n >= 0) {
                return;
            }
            Thread.sleep(200);
        }
    }

    private static long count(Database db, String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static void log(String format, Object... args) {
        System.out.printf("%s %s%n", Instant.now(), String.format(format, args));
    }

    /** HTTP clients as the tracker behaves: a batch is resent after any failure until it is answered 202. */
    private static final class Load {
        final Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
        final AtomicInteger retried = new AtomicInteger();
        final AtomicInteger unexpected = new AtomicInteger();
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final URI endpoint;
        private final String site;
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stopping;

        Load(URI endpoint, String site, int clients) {
            this.endpoint = endpoint;
            this.site = site;
            for (int i = 0; i < clients; i++) threads.add(new Thread(this::run, "load-" + i));
        }

        void start() {
            threads.forEach(Thread::start);
        }

        /** No new batches; the ones in flight are sent until acknowledged (bounded: 60 s). */
        void stop() throws InterruptedException {
            stopping = true;
            for (Thread t : threads) t.join(60_000);
        }

        private void run() {
            while (!stopping) {
                UUID pageview = UUID.randomUUID();
                long now = System.currentTimeMillis();
                StringBuilder events = new StringBuilder();
                for (int i = 0; i < EVENTS_PER_BATCH; i++) {
                    events.append(i == 0 ? "" : ",").append("{\"kind\":\"click\",\"t\":").append(now + i)
                            .append(",\"x\":").append(100 + i).append(",\"y\":200,\"selector\":\"#buy\",\"boxX\":0.5,"
                                    + "\"boxY\":0.5,\"interactive\":true}");
                }
                String body = "{\"site\":\"" + site + "\",\"pageview\":\"" + pageview + "\",\"seq\":0,\"sentAt\":" + now
                        + ",\"url\":\"" + LOAD_ORIGIN + "/\",\"viewport\":{\"width\":1280,\"height\":720},"
                        + "\"document\":{\"width\":1280,\"height\":2400},\"events\":[" + events + "]}";
                boolean failed = false;
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (System.nanoTime() < deadline) {
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(15))
                                .header("Content-Type", "text/plain;charset=UTF-8").header("User-Agent", IngestLoad.USER_AGENT)
                                .header("Origin", LOAD_ORIGIN).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 202) {
                            acknowledged.add(pageview);
                            if (failed) retried.incrementAndGet();
                            break;
                        }
                        if (r.statusCode() != 503) unexpected.incrementAndGet();
                    } catch (IOException e) {
                        // unknown outcome: the same batch goes again
                    } catch (InterruptedException e) {
                        return;
                    }
                    failed = true;
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    private DatabaseOutageFault() {
    }
}
