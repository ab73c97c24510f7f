package io.isotherm.bench;

import io.isotherm.collector.CollectBatch;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * HTTP ingest load: N threads, each with one request in flight at a time (closed loop), POST pre-rendered tracker
 * batches to {@code /api/collect} over HTTP/1.1 keep-alive connections and time every request. After a warm-up,
 * requests that complete inside the measured window count: events/s, batches/s and latency percentiles. Any answer
 * other than 202 (and any failed request) is counted and makes the run invalid (exit status 1).
 *
 * <p>Requests go through java.net.http.HttpClient by default, or with {@code --client socket} through one minimal
 * blocking HTTP/1.1 connection per thread ({@link Http1Connection}), which leaves more of a small machine's CPU to
 * the server. Bodies are rendered before the clock starts; per request the only generator work is copying one body and
 * writing a fresh pageview id into it, so every batch is new to the collector (no redelivery short cuts).
 */
public final class IngestLoad {
    private static final String USAGE = """
            usage: IngestLoad --url http://127.0.0.1:PORT/api/collect --site KEY [options]
              --origin URL          Origin header and origin of the page URLs (default http://bench.example)
              --connections N       concurrent connections, each one request in flight (default 16)
              --seconds S           measured seconds (default 30)
              --warmup S            seconds of load before measuring (default 5)
              --seed N              workload seed (default 1)
              --pageviews N         distinct pre-rendered pageviews, reused with fresh ids (default 3000)
              --timeout-ms N        per-request timeout (default 10000)
              --client jdk|socket   jdk: java.net.http.HttpClient (default); socket: a minimal blocking HTTP/1.1
                                    client per connection that costs far less CPU (see Http1Connection)
              --metrics-url URL     collector metrics to read group-commit sizes from (default: same server /metrics; 'none' to skip)
              --server-pid PID      server JVM, for the CPU split (optional)
              --postgres-pid PID    postmaster, for the CPU split (optional)
              --verify-jdbc URL     check afterwards that raw_event grew by the events acknowledged (optional, user postgres)
              --label TEXT          added to the RESULT line""";
    /** What navigator.sendBeacon and fetch send for a string body. */
    static final String CONTENT_TYPE = "text/plain;charset=UTF-8";
    static final String USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Safari/537.36";

    /** A pre-rendered body with the offset of its pageview id. */
    private record Body(byte[] bytes, int pageviewOffset, int events) {
        byte[] withPageview(long msb, long lsb) {
            byte[] copy = bytes.clone();
            Workload.writeUuid(copy, pageviewOffset, msb, lsb);
            return copy;
        }
    }

    /** One thread's way of sending a body; answers the status and keeps the response body for error reports. */
    private interface Sender extends AutoCloseable {
        int send(byte[] body) throws IOException, InterruptedException;

        String lastBody();

        @Override
        void close();
    }

    private final HttpClient client;
    private final boolean socketClient;
    private final URI url;
    private final String origin;
    private final Duration timeout;
    private final List<List<Body>> pageviews;

    private volatile long warmupEnd;
    private volatile long measureEnd;
    private final List<Latencies> latencies = new ArrayList<>();
    private final LongAdder measuredRequests = new LongAdder();
    private final LongAdder measuredEvents = new LongAdder();
    private final LongAdder acceptedEvents = new LongAdder(); // warm-up and overrun included, for --verify-jdbc
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
    private final AtomicLong errorSampleCount = new AtomicLong();

    private IngestLoad(HttpClient client, boolean socketClient, URI url, String origin, Duration timeout, List<List<Body>> pageviews) {
        this.client = client;
        this.socketClient = socketClient;
        this.url = url;
        this.origin = origin;
        this.timeout = timeout;
        this.pageviews = pageviews;
    }

    public static void main(String[] argv) throws Exception {
        var args = new Args(argv, USAGE, Set.of("url", "site", "origin", "connections", "seconds", "warmup", "seed",
                "pageviews", "timeout-ms", "client", "metrics-url", "server-pid", "postgres-pid", "verify-jdbc", "label"));
        URI url = URI.create(args.text("url", null));
        if (!"http".equals(url.getScheme()) || !Set.of("127.0.0.1", "localhost", "[::1]").contains(url.getHost())) {
            args.fail("--url must be http://127.0.0.1:PORT/… (this load generator only targets the local machine)");
        }
        String site = args.text("site", null);
        String origin = args.text("origin", "http://bench.example");
        int connections = args.integer("connections", 16);
        int seconds = args.integer("seconds", 30);
        int warmup = args.integer("warmup", 5);
        long seed = args.longValue("seed", 1);
        int pageviewCount = args.integer("pageviews", 3000);
        int timeoutMs = args.integer("timeout-ms", 10_000);
        String clientKind = args.text("client", "jdk");
        if (!clientKind.equals("jdk") && !clientKind.equals("socket")) {
            args.fail("--client must be jdk or socket");
        }
        if (connections < 1 || connections > 1024 || seconds < 1 || seconds > 3600 || warmup < 0 || warmup > 600
                || pageviewCount < 1 || timeoutMs < 1) {
            args.fail("out of range: connections 1-1024, seconds 1-3600, warmup 0-600, pageviews >= 1, timeout-ms >= 1");
        }
        String metricsArg = args.text("metrics-url", url.resolve("/metrics").toString());
        URI metricsUrl = metricsArg.equals("none") ? null : URI.create(metricsArg);
        var cpu = new CpuMeter(args.longValue("server-pid", 0), args.longValue("postgres-pid", 0));
        String verifyJdbc = args.text("verify-jdbc", "");
        String label = args.text("label", "");

        // Everything the timed phase sends is rendered here.
        long renderStart = System.nanoTime();
        List<Workload.Pageview> generated = new Workload(site, origin, seed).pageviews(pageviewCount, System.currentTimeMillis());
        var pageviews = new ArrayList<List<Body>>(generated.size());
        long batches = 0, events = 0, bytes = 0;
        for (Workload.Pageview pv : generated) {
            var bodies = new ArrayList<Body>(pv.batches().size());
            for (CollectBatch b : pv.batches()) {
                byte[] json = Workload.json(b).getBytes(StandardCharsets.UTF_8);
                int[] offsets = Workload.placeholderOffsets(json);
                if (offsets.length != 1) {
                    throw new IllegalStateException("expected the pageview id exactly once in the body");
                }
                bodies.add(new Body(json, offsets[0], b.events().size()));
                batches++;
                events += b.events().size();
                bytes += json.length;
            }
            pageviews.add(List.copyOf(bodies));
        }
        System.out.printf(Locale.ROOT, "rendered %d pageviews: %d batches, %.1f events and %.0f bytes per batch on average (%.1f s)%n",
                pageviews.size(), batches, (double) events / batches, (double) bytes / batches, (System.nanoTime() - renderStart) / 1e9);

        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        var load = new IngestLoad(client, clientKind.equals("socket"), url, origin, Duration.ofMillis(timeoutMs), pageviews);
        long rowsBefore = verifyJdbc.isEmpty() ? 0 : rawEventRows(verifyJdbc, site);
        load.probe();

        long start = System.nanoTime();
        load.warmupEnd = start + warmup * 1_000_000_000L;
        load.measureEnd = load.warmupEnd + seconds * 1_000_000_000L;
        var threads = new ArrayList<Thread>();
        for (int i = 0; i < connections; i++) {
            var recorder = new Latencies();
            load.latencies.add(recorder);
            int first = i;
            Thread t = new Thread(() -> load.work(first, connections, recorder), "ingest-load-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);

        sleepUntil(load.warmupEnd);
        Map<String, Double> metricsBefore = scrape(client, metricsUrl);
        CpuMeter.Sample cpuBefore = cpu.sample();
        sleepUntil(load.measureEnd);
        CpuMeter.Sample cpuAfter = cpu.sample();
        Map<String, Double> metricsAfter = scrape(client, metricsUrl);
        long joinDeadline = System.nanoTime() + Duration.ofMillis(timeoutMs).plusSeconds(5).toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, (joinDeadline - System.nanoTime()) / 1_000_000));
        }
        boolean stuck = threads.stream().anyMatch(Thread::isAlive);
        if (stuck) {
            load.error("thread still waiting after the run");
        }

        long[] sorted = Latencies.merged(load.latencies);
        long requests = load.measuredRequests.sum();
        long measuredEvents = load.measuredEvents.sum();
        double eventsPerSecond = measuredEvents / (double) seconds;
        double batchesPerSecond = requests / (double) seconds;
        long errorCount = load.errors.values().stream().mapToLong(LongAdder::sum).sum();

        System.out.printf(Locale.ROOT, "%n%d connections (%s client), %d s measured after %d s warm-up%n", connections,
                clientKind, seconds, warmup);
        System.out.printf(Locale.ROOT, "  accepted (202): %d requests, %d events in the window%n", requests, measuredEvents);
        System.out.printf(Locale.ROOT, "  throughput:     %.0f events/s, %.1f batches/s%n", eventsPerSecond, batchesPerSecond);
        System.out.printf(Locale.ROOT, "  latency (ms):   p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n",
                Latencies.percentileMillis(sorted, 50), Latencies.percentileMillis(sorted, 90),
                Latencies.percentileMillis(sorted, 99), Latencies.percentileMillis(sorted, 100));
        System.out.printf(Locale.ROOT, "  errors:         %d%s%n", errorCount, errorCount == 0 ? "" : " " + new TreeMap<>(toCounts(load.errors)));
        load.errorSamples.forEach(s -> System.out.println("    e.g. " + s));
        String commits = commitSummary(metricsBefore, metricsAfter);
        if (!commits.isEmpty()) {
            System.out.println("  collector:      " + commits);
        }
        Map<String, Double> cores = cpu.report(cpuBefore, cpuAfter, "load generator");
        System.out.println("  busy cores:     " + CpuMeter.format(cores));

        if (!verifyJdbc.isEmpty()) {
            long stored = rawEventRows(verifyJdbc, site) - rowsBefore;
            long acknowledged = load.acceptedEvents.sum();
            System.out.printf(Locale.ROOT, "  verified:       raw_event grew by %d rows, %d events were acknowledged with 202%s%n",
                    stored, acknowledged, stored == acknowledged ? "" : "  MISMATCH");
            if (stored != acknowledged) {
                load.error("raw_event rows do not match acknowledged events");
                errorCount++;
            }
        }

        System.out.printf(Locale.ROOT, "RESULT label=%s client=%s connections=%d seconds=%d events_per_s=%.0f batches_per_s=%.1f "
                        + "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d%s%s%n",
                label.isEmpty() ? "-" : label, clientKind, connections, seconds, eventsPerSecond, batchesPerSecond,
                Latencies.percentileMillis(sorted, 50), Latencies.percentileMillis(sorted, 90),
                Latencies.percentileMillis(sorted, 99), Latencies.percentileMillis(sorted, 100), errorCount,
                cores.entrySet().stream().map(e -> String.format(Locale.ROOT, " cpu_%s=%.2f",
                        e.getKey().replace(' ', '_'), e.getValue())).reduce("", String::concat),
                commitFields(metricsBefore, metricsAfter));
        System.out.flush();
        System.exit(errorCount == 0 && requests > 0 ? 0 : 1);
    }

    /** One batch before the clock starts: a wrong key or origin shows up as a clear message, not as a failed run. */
    private void probe() throws IOException, InterruptedException {
        Body body = pageviews.get(0).get(0);
        var random = new SplittableRandom();
        try (Sender sender = sender()) {
            int status = sender.send(body.withPageview(random.nextLong(), random.nextLong()));
            if (status != 202) {
                System.err.println("error: the first batch was answered " + status + ": " + sender.lastBody());
                System.exit(1);
            }
        }
        acceptedEvents.add(body.events());
    }

    private Sender sender() {
        if (socketClient) {
            var headers = new LinkedHashMap<String, String>();
            headers.put("User-Agent", USER_AGENT);
            headers.put("Origin", origin);
            headers.put("Content-Type", CONTENT_TYPE);
            var connection = new Http1Connection(url, headers, (int) timeout.toMillis());
            return new Sender() {
                public int send(byte[] body) throws IOException {
                    return connection.post(body);
                }

                public String lastBody() {
                    return connection.lastBody();
                }

                public void close() {
                    connection.close();
                }
            };
        }
        return new Sender() {
            private String last = "";

            public int send(byte[] body) throws IOException, InterruptedException {
                HttpResponse<String> response = client.send(request(body), HttpResponse.BodyHandlers.ofString());
                last = response.body();
                return response.statusCode();
            }

            public String lastBody() {
                return last;
            }

            public void close() {
            }
        };
    }

    private HttpRequest request(byte[] body) {
        return HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", CONTENT_TYPE)
                .header("Origin", origin)
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** Closed loop: pageviews first, first + stride, …; each pageview's batches in seq order under a fresh id. */
    private void work(int first, int stride, Latencies recorder) {
        try (Sender sender = sender()) {
            work(first, stride, recorder, sender);
        }
    }

    private void work(int first, int stride, Latencies recorder, Sender sender) {
        var random = new SplittableRandom(System.nanoTime() ^ ((long) first << 32));
        int next = first;
        while (true) {
            List<Body> pageview = pageviews.get(next % pageviews.size());
            next += stride;
            long msb = random.nextLong();
            long lsb = random.nextLong();
            for (Body body : pageview) {
                if (System.nanoTime() >= measureEnd) {
                    return;
                }
                byte[] bytes = body.withPageview(msb, lsb);
                long sent = System.nanoTime();
                int status;
                try {
                    status = sender.send(bytes);
                } catch (IOException e) {
                    error(e.getClass().getSimpleName() + ": " + e.getMessage());
                    pause();
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long done = System.nanoTime();
                if (status != 202) {
                    error("HTTP " + status + ": " + sender.lastBody());
                    continue;
                }
                acceptedEvents.add(body.events());
                if (done >= warmupEnd && done < measureEnd) {
                    recorder.add((done - sent) / 1_000);
                    measuredRequests.increment();
                    measuredEvents.add(body.events());
                }
            }
        }
    }

    private void error(String description) {
        String kind = description.startsWith("HTTP ") ? description.substring(0, 8) : description.split(":", 2)[0];
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
        if (errorSampleCount.incrementAndGet() <= 5) {
            errorSamples.add(description.length() > 300 ? description.substring(0, 300) + "…" : description);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, wait / 1_000_000));
        }
    }

    private static Map<String, Long> toCounts(Map<String, LongAdder> adders) {
        var counts = new TreeMap<String, Long>();
        adders.forEach((k, v) -> counts.put(k, v.sum()));
        return counts;
    }

    // ---- collector metrics -----------------------------------------------------------------------------------

    /** Sample lines of a Prometheus scrape, by name with labels; empty when there is no such endpoint. */
    private static Map<String, Double> scrape(HttpClient client, URI metricsUrl) {
        var values = new TreeMap<String, Double>();
        if (metricsUrl == null) {
            return values;
        }
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(metricsUrl).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return values;
            }
            for (String line : response.body().split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                try {
                    values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                } catch (RuntimeException ignored) {
                    // not a sample line
                }
            }
        } catch (IOException e) {
            return values;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return values;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
        Double b = before.get(name), a = after.get(name);
        return a == null || b == null ? Double.NaN : a - b;
    }

    private static String commitSummary(Map<String, Double> before, Map<String, Double> after) {
        double commits = delta(before, after, "isotherm_collect_group_batches_count");
        if (Double.isNaN(commits) || commits <= 0) {
            return "";
        }
        double batches = delta(before, after, "isotherm_collect_group_batches_sum");
        double writeSeconds = delta(before, after, "isotherm_collect_write_seconds_sum");
        double events = delta(before, after, "isotherm_collect_events_accepted_total");
        return String.format(Locale.ROOT, "%.0f commits, %.1f batches (%.0f events) per commit, %.2f ms per commit (receipts + COPY + commit)",
                commits, batches / commits, events / commits, writeSeconds * 1000 / commits);
    }

    private static String commitFields(Map<String, Double> before, Map<String, Double> after) {
        double commits = delta(before, after, "isotherm_collect_group_batches_count");
        if (Double.isNaN(commits) || commits <= 0) {
            return "";
        }
        return String.format(Locale.ROOT, " batches_per_commit=%.1f write_ms=%.2f",
                delta(before, after, "isotherm_collect_group_batches_sum") / commits,
                delta(before, after, "isotherm_collect_write_seconds_sum") * 1000 / commits);
    }

    // ---- verification ----------------------------------------------------------------------------------------

    static long rawEventRows(String jdbcUrl, String siteKey) throws SQLException {
        try (var connection = DriverManager.getConnection(jdbcUrl, "postgres", null);
             var statement = connection.prepareStatement(
                     "SELECT count(*) FROM raw_event WHERE site_id = (SELECT site_id FROM site WHERE public_key = ?)")) {
            statement.setString(1, siteKey);
            try (var rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
