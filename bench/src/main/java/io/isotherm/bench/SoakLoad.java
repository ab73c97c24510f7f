package io.isotherm.bench;

import io.isotherm.collector.CollectBatch;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A soak: tracker batches at a steady rate (open loop: each connection sends on a fixed schedule, whatever the answers
 * take) for many minutes, reporting every minute the batches and events answered 202, the errors (any other answer,
 * any failed request), latency percentiles and the server's resident memory. Exits 1 if there was any error or if the
 * server's memory grew by more than {@code --max-rss-growth-mb} over the second half of the run.
 */
public final class SoakLoad {
    private static final String USAGE = """
            usage: SoakLoad --url http://127.0.0.1:PORT/api/collect --site KEY --server-pid PID [options]
              --origin URL              Origin header and origin of the page URLs (default http://bench.example)
              --rate N                  events per second (default 100000)
              --minutes N               length of the soak (default 10)
              --connections N           connections, each sending on its own schedule (default 32)
              --seed N                  workload seed (default 1)
              --timeout-ms N            per-request timeout (default 10000)
              --max-rss-growth-mb N     allowed growth of the server's RSS over the second half (default 64)
              --rss-every-s N           how often the server's RSS is sampled (default 5)
              --verify-jdbc URL         check afterwards that raw_event holds exactly the events answered 202 (user postgres)""";

    /** A pre-rendered body with the offset of its pageview id. */
    private record Body(byte[] bytes, int pageviewOffset, int events) {
    }

    /** What one minute saw. */
    private static final class Minute {
        final LongAdder batches = new LongAdder();
        final LongAdder events = new LongAdder();
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        final List<Latencies> latencies = new ArrayList<>();
        final AtomicLong maxRssKb = new AtomicLong();
        final AtomicLong maxBehindMicros = new AtomicLong();

        long errorCount() {
            return errors.values().stream().mapToLong(LongAdder::sum).sum();
        }
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, USAGE, Set.of("url", "site", "server-pid", "origin", "rate", "minutes", "connections",
                "seed", "timeout-ms", "max-rss-growth-mb", "rss-every-s", "verify-jdbc"));
        URI url = URI.create(args.text("url", null));
        String site = args.text("site", null);
        long serverPid = args.longValue("server-pid", 0);
        String origin = args.text("origin", "http://bench.example");
        int rate = args.integer("rate", 100_000);
        int minutes = args.integer("minutes", 10);
        int connections = args.integer("connections", 32);
        long seed = args.longValue("seed", 1);
        int timeoutMs = args.integer("timeout-ms", 10_000);
        long maxGrowthMb = args.longValue("max-rss-growth-mb", 64);
        int rssEvery = args.integer("rss-every-s", 5);
        String verifyJdbc = args.text("verify-jdbc", "");
        if (rate < 1 || minutes < 1 || connections < 1 || serverPid < 1) args.fail("rate, minutes, connections and server-pid must be positive");

        List<Body> bodies = new ArrayList<>();
        long events = 0;
        for (Workload.Pageview pv : new Workload(site, origin, seed).pageviews(3000, System.currentTimeMillis())) {
            for (CollectBatch b : pv.batches()) {
                byte[] json = Workload.json(b).getBytes(StandardCharsets.UTF_8);
                bodies.add(new Body(json, Workload.placeholderOffsets(json)[0], b.events().size()));
                events += b.events().size();
            }
        }
        double eventsPerBatch = (double) events / bodies.size();
        double batchesPerSecond = rate / eventsPerBatch;
        long intervalNanos = (long) (connections * 1e9 / batchesPerSecond); // each connection's schedule
        System.out.printf(Locale.ROOT, "soak: %d events/s = %.0f batches/s of %.1f events on average, %d connections "
                + "(one batch every %.2f ms each), %d min, server pid %d%n", rate, batchesPerSecond, eventsPerBatch,
                connections, intervalNanos / 1e6, minutes, serverPid);

        Minute[] perMinute = new Minute[minutes];
        for (int i = 0; i < minutes; i++) perMinute[i] = new Minute();
        long start = System.nanoTime() + 200_000_000L;
        long end = start + minutes * 60_000_000_000L;
        AtomicLongArray rssSamples = new AtomicLongArray(minutes * 60 / rssEvery + 2);

        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int number = c;
            Latencies[] recorders = new Latencies[minutes];
            for (int m = 0; m < minutes; m++) {
                recorders[m] = new Latencies();
                synchronized (perMinute[m].latencies) {
                    perMinute[m].latencies.add(recorders[m]);
                }
            }
            Thread t = new Thread(() -> send(url, origin, bodies, seed + number, start + number * intervalNanos / connections,
                    intervalNanos, end, timeoutMs, perMinute, recorders), "soak-" + c);
            threads.add(t);
            t.start();
        }
        Thread sampler = new Thread(() -> sampleRss(serverPid, start, end, rssEvery, perMinute, rssSamples), "rss");
        sampler.setDaemon(true);
        sampler.start();

        int reported = 0;
        while (reported < minutes) {
            long due = start + (reported + 1) * 60_000_000_000L + 1_500_000_000L; // the minute's last answers
            long wait = due - System.nanoTime();
            if (wait > 0) Thread.sleep(wait / 1_000_000);
            report(reported, perMinute[reported]);
            reported++;
        }
        for (Thread t : threads) t.join(timeoutMs + 5_000L);

        long totalErrors = 0, totalBatches = 0, totalEvents = 0;
        for (Minute m : perMinute) {
            totalErrors += m.errorCount();
            totalBatches += m.batches.sum();
            totalEvents += m.events.sum();
        }
        // Memory: the second half's highest RSS against the RSS at the half-way point.
        int samples = rssSamples.length();
        int half = (int) Math.min(samples - 1, (minutes * 60L / 2) / rssEvery);
        long atHalf = rssSamples.get(half);
        long secondHalfMax = 0, first = rssSamples.get(0);
        for (int i = half; i < samples; i++) secondHalfMax = Math.max(secondHalfMax, rssSamples.get(i));
        long growthMb = (secondHalfMax - atHalf) / 1024;
        boolean memoryFlat = atHalf > 0 && growthMb <= maxGrowthMb;
        System.out.printf(Locale.ROOT, "RESULT rate=%d minutes=%d batches=%d events=%d events_per_s=%.0f errors=%d "
                        + "rss_start_mb=%d rss_half_mb=%d rss_second_half_max_mb=%d rss_growth_second_half_mb=%d max_allowed_mb=%d%n",
                rate, minutes, totalBatches, totalEvents, totalEvents / (minutes * 60.0), totalErrors, first / 1024,
                atHalf / 1024, secondHalfMax / 1024, growthMb, maxGrowthMb);
        if (!verifyJdbc.isEmpty()) {
            long stored = IngestLoad.rawEventRows(verifyJdbc, site);
            System.out.printf(Locale.ROOT, "verified: raw_event holds %d events of the site, %d were answered 202%s%n",
                    stored, totalEvents, stored == totalEvents ? "" : "  MISMATCH");
            if (stored != totalEvents) totalErrors++;
        }
        if (totalErrors > 0) System.out.println("FAIL: " + totalErrors + " errors");
        if (!memoryFlat) System.out.println("FAIL: the server's RSS grew by " + growthMb + " MB in the second half (allowed " + maxGrowthMb + ")");
        System.out.flush();
        System.exit(totalErrors == 0 && memoryFlat && totalBatches > 0 ? 0 : 1);
    }

    private static void send(URI url, String origin, List<Body> bodies, long seed, long first, long interval, long end,
                             int timeoutMs, Minute[] perMinute, Latencies[] recorders) {
        var headers = new LinkedHashMap<String, String>();
        headers.put("User-Agent", IngestLoad.USER_AGENT);
        headers.put("Origin", origin);
        headers.put("Content-Type", IngestLoad.CONTENT_TYPE);
        var random = new SplittableRandom(seed);
        try (var connection = new Http1Connection(url, headers, timeoutMs)) {
            for (long due = first; due < end; due += interval) {
                long now = System.nanoTime();
                if (due > now) {
                    sleepNanos(due - now);
                }
                int minute = (int) ((due - (end - perMinute.length * 60_000_000_000L)) / 60_000_000_000L);
                if (minute < 0 || minute >= perMinute.length) continue;
                Minute m = perMinute[minute];
                m.maxBehindMicros.accumulateAndGet((System.nanoTime() - due) / 1000, Math::max);
                Body body = bodies.get(random.nextInt(bodies.size()));
                byte[] bytes = body.bytes().clone();
                Workload.writeUuid(bytes, body.pageviewOffset(), random.nextLong(), random.nextLong());
                long sent = System.nanoTime();
                try {
                    int status = connection.post(bytes);
                    recorders[minute].add((System.nanoTime() - sent) / 1000);
                    if (status == 202) {
                        m.batches.increment();
                        m.events.add(body.events());
                    } else {
                        m.errors.computeIfAbsent("status " + status, k -> new LongAdder()).increment();
                    }
                } catch (IOException e) {
                    m.errors.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).increment();
                }
            }
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sampleRss(long pid, long start, long end, int every, Minute[] perMinute, AtomicLongArray samples) {
        for (int i = 0; i < samples.length(); i++) {
            long due = start + i * every * 1_000_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) sleepNanos(wait);
            long kb = rssKb(pid);
            samples.set(i, kb);
            int minute = (int) ((System.nanoTime() - start) / 60_000_000_000L);
            if (minute >= 0 && minute < perMinute.length) perMinute[minute].maxRssKb.accumulateAndGet(kb, Math::max);
            if (System.nanoTime() > end) return;
        }
    }

    /** VmRSS from /proc (Linux), in kB; 0 when the process is gone. */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static void report(int index, Minute m) {
        long[] sorted = Latencies.merged(m.latencies);
        System.out.printf(Locale.ROOT, "MINUTE %d events_per_s=%.0f batches=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f "
                        + "errors=%d%s rss_mb=%d max_behind_ms=%.1f%n", index + 1, m.events.sum() / 60.0, m.batches.sum(),
                Latencies.percentileMillis(sorted, 50), Latencies.percentileMillis(sorted, 99),
                Latencies.percentileMillis(sorted, 100), m.errorCount(), m.errors.isEmpty() ? "" : " " + m.errors,
                m.maxRssKb.get() / 1024, m.maxBehindMicros.get() / 1000.0);
        System.out.flush();
    }

    private SoakLoad() {
    }
}
