package io.isotherm.launcher;

import io.isotherm.testing.Chromium;
import io.isotherm.testing.SlowClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The slow-body attack that stopped the whole server: 1,000 connections at once, from ten loopback addresses, each
 * sending its body one byte a second and reconnecting as soon as it is cut off. Meanwhile a normal client keeps
 * sending batches, which are all answered 202 and stored exactly once, and /health and the dashboard keep answering.
 * The slow connections get 408 and nothing reaches the log as an error. Default limits throughout.
 */
class SlowClientsTest {
    private static final int ADDRESSES = 10;
    private static final int PER_ADDRESS = 100; // the default per-address limit: every slow connection is let in
    private static final Duration ATTACK = Duration.ofSeconds(8);
    /** A liveness bound, not a speed claim: without the defences these requests waited until the slow sockets closed. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(ANSWER_WITHIN).build();

    @Test
    void a_thousand_slow_connections_leave_batches_health_and_the_dashboard_answered(@TempDir Path dataDir) throws Exception {
        // Both ends of every connection live in this JVM: 2,000 descriptors, plus the database's.
        var os = ManagementFactory.getOperatingSystemMXBean();
        assumeTrue(!(os instanceof com.sun.management.UnixOperatingSystemMXBean unix) || unix.getMaxFileDescriptorCount() >= 4096,
                "needs ulimit -n of at least 4096");
        try (var platform = Platform.start(Settings.fromEnvironment(Map.of(
                "ISOTHERM_DATA_DIR", dataDir.toString(), "ISOTHERM_PORT", "0", "ISOTHERM_BIND_ADDRESS", "127.0.0.1",
                "ISOTHERM_ROLES", "collector,dashboard", "ISOTHERM_DASHBOARD_ACCESS", "local", "ISOTHERM_CAPTURE_WORKER", "false",
                // Its batches come one after another from 127.0.0.1, each a new page view: the per-address limits are off.
                "ISOTHERM_COLLECT_BATCHES_PER_SECOND_PER_ADDRESS", "0", "ISOTHERM_COLLECT_PAGEVIEWS_PER_SECOND_PER_ADDRESS", "0")))) {
            var added = Cli.run(dataDir, "site", "add", "--name", "Shop", "--origin", "https://shop.example", "--json");
            assertThat(added.exitCode()).as(added.err()).isZero();
            String key = added.json().get("key").asText();
            int port = platform.port();

            List<Long> quiet = sendBatches(port, key, Duration.ofSeconds(2));
            List<Long> underAttack = new ArrayList<>();
            SlowClients.Tally tally;
            try (var logs = CapturedLogs.start()) {
                try (var slow = SlowClients.start(new InetSocketAddress("127.0.0.1", port), SlowClients.loopbackAddresses(ADDRESSES),
                        PER_ADDRESS, "/api/collect", 1000, Duration.ofSeconds(1))) {
                    Thread.sleep(1000); // every slow connection open and sending
                    long until = System.nanoTime() + ATTACK.toNanos();
                    while (System.nanoTime() < until) {
                        underAttack.addAll(sendBatches(port, key, Duration.ofMillis(1500)));
                        assertThat(get(port, "/health").statusCode()).isEqualTo(200);
                        assertThat(get(port, "/").statusCode()).as("the dashboard").isEqualTo(200);
                    }
                    tally = slow.tally();
                }
                assertThat(logs.errorsAndStackTraces()).isEmpty();
            }
            System.out.printf("slow clients: %s%nbatch latency ms, quiet: median %d p99 %d (%d batches); "
                            + "with 1,000 slow connections: median %d p99 %d (%d batches)%n", tally,
                    percentile(quiet, 50), percentile(quiet, 99), quiet.size(),
                    percentile(underAttack, 50), percentile(underAttack, 99), underAttack.size());

            assertThat(tally.opened()).isGreaterThanOrEqualTo(ADDRESSES * PER_ADDRESS);
            assertThat(tally.answeredByStatus()).as("slow bodies are answered 408, nothing else").containsOnlyKeys(408);
            assertThat(tally.answered()).as("every one of the first thousand was cut off by the rate check")
                    .isGreaterThanOrEqualTo(ADDRESSES * PER_ADDRESS);
            long accepted = quiet.size() + underAttack.size();
            assertThat(countRows(dataDir, "ingest_batch")).as("every batch answered 202 stored once").isEqualTo(accepted);
            assertThat(countRows(dataDir, "raw_event")).isEqualTo(accepted);
        }
    }

    /** Sends one-click batches one after another for {@code period}; each must get 202. Returns their latencies (ms). */
    private static List<Long> sendBatches(int port, String key, Duration period) throws Exception {
        List<Long> latencies = new ArrayList<>();
        long until = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < until) {
            long now = System.currentTimeMillis();
            String body = """
                    {"site":"%s","pageview":"%s","seq":0,"sentAt":%d,"url":"https://shop.example/",
                     "viewport":{"width":1280,"height":720},"document":{"width":1280,"height":2400},
                     "events":[{"kind":"click","t":%d,"x":100,"y":200,"selector":"#buy","boxX":0.5,"boxY":0.5,"interactive":true}]}
                    """.formatted(key, UUID.randomUUID(), now, now);
            long started = System.nanoTime();
            var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/collect"))
                    .timeout(ANSWER_WITHIN)
                    .header("Content-Type", "text/plain").header("User-Agent", Chromium.USER_AGENT).header("Origin", "https://shop.example")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            latencies.add((System.nanoTime() - started) / 1_000_000);
        }
        return latencies;
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(ANSWER_WITHIN).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long percentile(List<Long> values, int percent) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
    }

    private static long countRows(Path dataDir, String table) throws Exception {
        int port = Integer.parseInt(java.nio.file.Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).trim());
        try (var c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", null);
             var rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
