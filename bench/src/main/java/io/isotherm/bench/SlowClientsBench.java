package io.isotherm.bench;

import io.isotherm.testing.Chromium;
import io.isotherm.testing.SlowClients;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Normal batches and {@code GET /health} against a running server, alternately without and with a crowd of slow-body
 * clients ({@link SlowClients}: each sends its body one byte a second and reconnects when cut off), in rounds, so
 * both conditions are measured side by side in one run. Prints each round and then the medians of the rounds.
 * <p>
 * The normal load is a few closed-loop clients that each send a one-click batch and wait 20 ms: steady traffic, not
 * a throughput test (see IngestLoad for that). Every batch must get 202 and /health 200; anything else is counted as
 * an error. Slow clients leave from 127.0.0.2, 127.0.0.3 …, so the per-address limit sees {@code --addresses} clients.
 */
public final class SlowClientsBench {
    private static final String USAGE = """
            usage: SlowClientsBench --url http://127.0.0.1:PORT --site KEY [--origin http://bench.example]
                   [--slow 1000] [--addresses 10] [--clients 4] [--seconds 20] [--rounds 3]""";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private SlowClientsBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, USAGE, Set.of("url", "site", "origin", "slow", "addresses", "clients", "seconds", "rounds"));
        URI base = URI.create(args.text("url", null));
        String site = args.text("site", null);
        String origin = args.text("origin", "http://bench.example");
        int slow = args.integer("slow", 1000);
        int addresses = args.integer("addresses", 10);
        int clients = args.integer("clients", 4);
        Duration period = Duration.ofSeconds(args.integer("seconds", 20));
        int rounds = args.integer("rounds", 3);
        var load = new NormalLoad(base, site, origin, clients);

        System.out.printf("%d normal clients (a batch, then 20 ms pause); %d slow connections from %d addresses; %d s per phase%n",
                clients, slow, addresses, period.toSeconds());
        List<Result> quiet = new ArrayList<>();
        List<Result> attacked = new ArrayList<>();
        load.run(Duration.ofSeconds(5)); // warm-up, not recorded
        for (int round = 1; round <= rounds; round++) {
            Result q = load.run(period);
            quiet.add(q);
            System.out.printf("round %d  quiet:      %s%n", round, q);
            Result a;
            SlowClients.Tally tally;
            try (var crowd = SlowClients.start(new InetSocketAddress(base.getHost(), base.getPort()),
                    SlowClients.loopbackAddresses(addresses), slow / addresses, "/api/collect", 1000, Duration.ofSeconds(1))) {
                Thread.sleep(2000); // every slow connection open and sending
                a = load.run(period);
                tally = crowd.tally();
            }
            attacked.add(a);
            System.out.printf("round %d  slow crowd: %s%n          slow connections: %s%n", round, a, tally);
        }
        System.out.println();
        System.out.println("| normal batches (medians of " + rounds + " rounds) | batches | p50 ms | p99 ms | /health p50 ms | /health p99 ms | errors |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        row("without slow clients", quiet);
        row("with " + slow + " slow connections", attacked);
    }

    private static void row(String label, List<Result> results) {
        System.out.printf("| %s | %.0f | %.1f | %.1f | %.1f | %.1f | %d |%n", label,
                median(results.stream().mapToDouble(Result::batches).toArray()),
                median(results.stream().mapToDouble(Result::p50).toArray()),
                median(results.stream().mapToDouble(Result::p99).toArray()),
                median(results.stream().mapToDouble(Result::healthP50).toArray()),
                median(results.stream().mapToDouble(Result::healthP99).toArray()),
                results.stream().mapToLong(Result::errors).sum());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    record Result(long batches, double p50, double p99, double healthP50, double healthP99, long errors) {
        @Override
        public String toString() {
            return "%d batches, p50 %.1f ms, p99 %.1f ms; /health p50 %.1f ms, p99 %.1f ms; %d errors"
                    .formatted(batches, p50, p99, healthP50, healthP99, errors);
        }
    }

    /** A few clients sending batches at a steady pace, and one asking /health every 200 ms. */
    private static final class NormalLoad {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        private final URI base;
        private final String site;
        private final String origin;
        private final int clients;

        NormalLoad(URI base, String site, String origin, int clients) {
            this.base = base;
            this.site = site;
            this.origin = origin;
            this.clients = clients;
        }

        Result run(Duration period) throws InterruptedException {
            long until = System.nanoTime() + period.toNanos();
            AtomicLong errors = new AtomicLong();
            List<Latencies> batches = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Latencies latencies = new Latencies();
                batches.add(latencies);
                threads.add(started(() -> loop(until, latencies, errors, this::sendBatch, 20)));
            }
            Latencies health = new Latencies();
            threads.add(started(() -> loop(until, health, errors, this::askHealth, 200)));
            for (Thread t : threads) t.join();
            long[] sorted = Latencies.merged(batches);
            long[] healthSorted = Latencies.merged(List.of(health));
            return new Result(sorted.length, Latencies.percentileMillis(sorted, 50), Latencies.percentileMillis(sorted, 99),
                    Latencies.percentileMillis(healthSorted, 50), Latencies.percentileMillis(healthSorted, 99), errors.get());
        }

        private static Thread started(Runnable task) {
            Thread thread = new Thread(task);
            thread.start();
            return thread;
        }

        private interface Call {
            boolean ok() throws Exception;
        }

        private static void loop(long until, Latencies latencies, AtomicLong errors, Call call, long pauseMillis) {
            while (System.nanoTime() < until) {
                long started = System.nanoTime();
                try {
                    if (call.ok()) {
                        latencies.add((System.nanoTime() - started) / 1000);
                    } else {
                        errors.incrementAndGet();
                    }
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    errors.incrementAndGet();
                }
            }
        }

        private boolean sendBatch() throws Exception {
            long now = System.currentTimeMillis();
            String body = """
                    {"site":"%s","pageview":"%s","seq":0,"sentAt":%d,"url":"%s/",
                     "viewport":{"width":1280,"height":720},"document":{"width":1280,"height":2400},
                     "events":[{"kind":"click","t":%d,"x":100,"y":200,"selector":"#buy","boxX":0.5,"boxY":0.5,"interactive":true}]}
                    """.formatted(site, UUID.randomUUID(), now, origin, now);
            var response = http.send(HttpRequest.newBuilder(base.resolve("/api/collect")).timeout(TIMEOUT)
                    .header("Content-Type", "text/plain").header("User-Agent", Chromium.USER_AGENT).header("Origin", origin)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 202;
        }

        private boolean askHealth() throws Exception {
            var response = http.send(HttpRequest.newBuilder(base.resolve("/health")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        }
    }
}
