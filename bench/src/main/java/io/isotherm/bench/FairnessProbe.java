package io.isotherm.bench;

import io.isotherm.collector.CollectBatch;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A quiet site's traffic, timed: one connection sends tracker batches of one site at a steady pace (a fresh page view
 * id each, so every batch is new) and records how long each takes to be answered. Run it alone and next to an
 * {@link IngestLoad} flood of another site to see what the flood costs the quiet site (bench/run-fairness.sh).
 * Any answer other than 202 counts as an error.
 */
public final class FairnessProbe {
    private static final String USAGE = """
            usage: FairnessProbe --url http://127.0.0.1:PORT/api/collect --site KEY [options]
              --origin URL      Origin header and origin of the page URLs (default http://bench.example)
              --rate N          batches per second, sent at a steady pace (default 20)
              --seconds S       how long to send (default 20)
              --seed N          workload seed (default 2)
              --label TEXT      added to the RESULT_PROBE line""";

    private FairnessProbe() {
    }

    public static void main(String[] argv) throws Exception {
        var args = new Args(argv, USAGE, Set.of("url", "site", "origin", "rate", "seconds", "seed", "label"));
        URI url = URI.create(args.text("url", null));
        if (!"http".equals(url.getScheme()) || !Set.of("127.0.0.1", "localhost").contains(url.getHost())) {
            args.fail("--url must be http://127.0.0.1:PORT/… (this probe only targets the local machine)");
        }
        String site = args.text("site", null);
        String origin = args.text("origin", "http://bench.example");
        int rate = args.integer("rate", 20);
        int seconds = args.integer("seconds", 20);
        String label = args.text("label", "");
        if (rate < 1 || rate > 1000 || seconds < 1 || seconds > 3600) {
            args.fail("out of range: rate 1-1000, seconds 1-3600");
        }

        List<byte[]> bodies = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        for (Workload.Pageview pv : new Workload(site, origin, args.longValue("seed", 2)).pageviews(200, System.currentTimeMillis())) {
            CollectBatch first = pv.batches().get(0);
            byte[] json = Workload.json(first).getBytes(StandardCharsets.UTF_8);
            bodies.add(json);
            offsets.add(Workload.placeholderOffsets(json)[0]);
        }
        var headers = new LinkedHashMap<String, String>();
        headers.put("User-Agent", IngestLoad.USER_AGENT);
        headers.put("Origin", origin);
        headers.put("Content-Type", IngestLoad.CONTENT_TYPE);

        var latencies = new Latencies();
        Map<String, Integer> errors = new TreeMap<>();
        var random = new SplittableRandom();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        try (var connection = new Http1Connection(url, headers, 30_000)) {
            for (long i = 0, next = start; next < end; i++, next = start + i * interval) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                int n = (int) (i % bodies.size());
                byte[] body = bodies.get(n).clone();
                Workload.writeUuid(body, offsets.get(n), random.nextLong(), random.nextLong());
                long sent = System.nanoTime();
                try {
                    int status = connection.post(body);
                    if (status == 202) {
                        latencies.add((System.nanoTime() - sent) / 1000);
                    } else {
                        errors.merge(Integer.toString(status), 1, Integer::sum);
                    }
                } catch (java.io.IOException e) {
                    errors.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                }
            }
        }
        long[] sorted = Latencies.merged(List.of(latencies));
        int errorCount = errors.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf(Locale.ROOT, "probe: %d batches answered 202 at %d/s; latency (ms) p50 %.2f  p99 %.2f  max %.2f; errors %d %s%n",
                sorted.length, rate, Latencies.percentileMillis(sorted, 50), Latencies.percentileMillis(sorted, 99),
                Latencies.percentileMillis(sorted, 100), errorCount, errors.isEmpty() ? "" : errors);
        System.out.printf(Locale.ROOT, "RESULT_PROBE label=%s rate=%d seconds=%d batches=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d%n",
                label.isEmpty() ? "-" : label, rate, seconds, sorted.length, Latencies.percentileMillis(sorted, 50),
                Latencies.percentileMillis(sorted, 99), Latencies.percentileMillis(sorted, 100), errorCount);
        System.exit(errorCount == 0 ? 0 : 1);
    }
}
