package io.isotherm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Isotherm as it is deployed past one process: two collectors, two aggregators and a dashboard, each its own JVM,
 * against one external PostgreSQL (Debian's, started here), under concurrent load with redeliveries. Every event
 * is stored once and counted once.
 */
class ExternalPostgresTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
    private static final Pattern AGGREGATED = Pattern.compile("aggregated (\\d+) batches, (\\d+) events");
    private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int SITES = 3, PAGEVIEWS_PER_SITE = 40, BATCHES_PER_PAGEVIEW = 5, CLICKS = 3, MOVES = 2;

    private static ThrowAwayPostgres postgres;
    private static Map<String, String> env;

    @BeforeAll
    static void startPostgres() throws Exception {
        Path bin = ThrowAwayPostgres.installation().orElse(null);
        Assumptions.assumeTrue(bin != null, "Debian's postgresql is not installed (no /usr/lib/postgresql/*/bin/initdb); "
                + "scripts/test installs it");
        postgres = ThrowAwayPostgres.start(bin);
        // The load's eight threads stand for many visitors, all behind 127.0.0.1: the per-address limits are off.
        env = Map.of("ISOTHERM_DATABASE_URL", postgres.jdbcUrl(), "ISOTHERM_DATABASE_USER", "postgres",
                "ISOTHERM_COLLECT_BATCHES_PER_SECOND_PER_ADDRESS", "0", "ISOTHERM_COLLECT_PAGEVIEWS_PER_SECOND_PER_ADDRESS", "0");
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) postgres.close();
    }

    @Test
    void two_collectors_two_aggregators_and_a_dashboard_count_every_event_once(@TempDir Path dir) throws Exception {
        // The command line migrates the schema and registers the sites before any server starts.
        List<String> keys = new ArrayList<>();
        for (int s = 0; s < SITES; s++) {
            var added = Cli.run(env, dir, "site", "add", "--name", "Shop " + s, "--origin", "https://shop" + s + ".example", "--json");
            assertThat(added.exitCode()).as(added.err()).isZero();
            keys.add(added.json().get("key").asText());
        }
        Map<String, String> aggregatorEnv = Map.of("ISOTHERM_AGGREGATE_INTERVAL_SECONDS", "1", "ISOTHERM_AGGREGATE_BATCHES_PER_RUN", "20");
        List<Server> servers = new ArrayList<>();
        try {
            // Two waves: five JVMs starting at once on two cores can starve one past its 2 s wait for a connection.
            servers.add(Server.start("collector", Map.of()));
            servers.add(Server.start("collector", Map.of()));
            int[] collectors = {servers.get(0).port(), servers.get(1).port()};
            servers.add(Server.start("aggregator", aggregatorEnv));
            servers.add(Server.start("aggregator", aggregatorEnv));
            servers.add(Server.start("dashboard", Map.of("ISOTHERM_DASHBOARD_ACCESS", "local", "ISOTHERM_CAPTURE_WORKER", "false",
                    "ISOTHERM_CAPTURE_FIRST_EVENTS", "false")));
            for (Server server : servers) server.port();

            // Every batch goes to one collector; every fifth again to the other, as a tracker retrying after a
            // lost answer would: a redelivery must change nothing.
            List<String> bodies = new ArrayList<>();
            for (String key : keys) {
                for (int v = 0; v < PAGEVIEWS_PER_SITE; v++) {
                    UUID pageview = UUID.randomUUID();
                    String url = "https://" + originOf(keys.indexOf(key)) + (v % 2 == 0 ? "/" : "/pricing");
                    for (int seq = 0; seq < BATCHES_PER_PAGEVIEW; seq++) bodies.add(batch(key, pageview, seq, url));
                }
            }
            ExecutorService senders = Executors.newFixedThreadPool(8);
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < bodies.size(); i++) {
                String body = bodies.get(i);
                int first = collectors[i % 2], other = collectors[(i + 1) % 2];
                boolean again = i % 5 == 0;
                String origin = "https://" + originOf(i / (PAGEVIEWS_PER_SITE * BATCHES_PER_PAGEVIEW));
                sent.add(senders.submit(() -> {
                    post(first, origin, body);
                    if (again) post(other, origin, body);
                    return null;
                }));
            }
            for (Future<?> f : sent) f.get(60, TimeUnit.SECONDS);
            senders.shutdown();

            int batches = bodies.size(), events = batches * (CLICKS + MOVES);
            awaitZero("SELECT count(*) FROM ingest_batch WHERE aggregated_at IS NULL");
            assertThat(count("SELECT count(*) FROM ingest_batch")).isEqualTo(batches);
            assertThat(count("SELECT count(*) FROM raw_event")).isEqualTo(events);
            assertThat(count("SELECT count(*) FROM pageview_summary")).isEqualTo(SITES * PAGEVIEWS_PER_SITE);
            assertThat(count("SELECT coalesce(sum(clicks), 0) FROM page_day")).isEqualTo(batches * CLICKS);

            // What each aggregator process says it did adds up to every batch, once.
            List<Server> aggregators = servers.subList(2, 4);
            awaitTrue(() -> aggregators.stream().mapToLong(a -> a.aggregated(1)).sum() >= batches);
            assertThat(aggregators.stream().mapToLong(a -> a.aggregated(1)).sum()).isEqualTo(batches);
            assertThat(aggregators.stream().mapToLong(a -> a.aggregated(2)).sum()).isEqualTo(events);

            // And the dashboard, in its own process, reads the same totals per site and page.
            int dashboard = servers.get(4).port();
            for (String key : keys) {
                JsonNode pages = new ObjectMapper().readTree(get(dashboard, "/api/sites/" + key + "/pages").body()).get("pages");
                assertThat(pages).hasSize(2);
                for (JsonNode page : pages) {
                    assertThat(page.get("pageviews").asInt()).as(page.toString()).isEqualTo(PAGEVIEWS_PER_SITE / 2);
                    assertThat(page.get("clicks").asInt()).isEqualTo(PAGEVIEWS_PER_SITE / 2 * BATCHES_PER_PAGEVIEW * CLICKS);
                    assertThat(page.get("moves").asInt()).isEqualTo(PAGEVIEWS_PER_SITE / 2 * BATCHES_PER_PAGEVIEW * MOVES);
                }
            }
        } finally {
            for (Server server : servers) server.stop();
        }
    }

    @Test
    void distributing_refuses_a_database_without_citus_and_changes_nothing(@TempDir Path dir) throws Exception {
        var result = Cli.run(env, dir, "database", "distribute");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("not a Citus database");
        assertThat(count("SELECT count(*) FROM pg_extension WHERE extname = 'citus'")).isZero();
    }

    private static String originOf(int site) {
        return "shop" + site + ".example";
    }

    private static String batch(String key, UUID pageview, int seq, String url) {
        long now = Instant.now().toEpochMilli();
        StringBuilder events = new StringBuilder();
        for (int c = 0; c < CLICKS; c++) {
            events.append("{\"kind\":\"click\",\"t\":%d,\"x\":%d,\"y\":%d,\"selector\":\"#buy\",\"boxX\":0.5,\"boxY\":0.5},"
                    .formatted(now, 100 + c, 200 + seq));
        }
        for (int m = 0; m < MOVES; m++) {
            events.append("{\"kind\":\"move\",\"t\":%d,\"x\":%d,\"y\":%d},".formatted(now, 300 + m, 400));
        }
        events.setLength(events.length() - 1);
        return """
                {"site":"%s","pageview":"%s","seq":%d,"sentAt":%d,"url":"%s",
                 "viewport":{"width":1280,"height":720},"document":{"width":1280,"height":2400},"events":[%s]}"""
                .formatted(key, pageview, seq, now, url, events);
    }

    /** Posts until accepted: 503 (queue full, database busy) is retried, as the tracker does. */
    private static void post(int port, String origin, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/collect"))
                .header("Content-Type", "text/plain").header("User-Agent", USER_AGENT).header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        for (int attempt = 1; ; attempt++) {
            int status;
            try {
                status = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (IOException e) {
                status = -1;
            }
            if (status == 202) return;
            assertThat(status).as("answer to a valid batch").isIn(503, -1);
            assertThat(attempt).as("attempts at one batch").isLessThan(100);
            Thread.sleep(50L * Math.min(attempt, 10));
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long count(String sql) throws Exception {
        try (var connection = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", null);
             var result = connection.createStatement().executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** A liveness bound: aggregation that never finishes fails here rather than hanging the build. */
    private static void awaitZero(String sql) throws Exception {
        awaitTrue(() -> count(sql) == 0);
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitTrue(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!check.ok()) {
            assertThat(System.nanoTime()).as("still waiting after 30 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** {@code isotherm serve} in its own JVM with one role, against the external database. */
    private record Server(Process process, CompletableFuture<Integer> listening, StringBuffer output) {
        static Server start(String role, Map<String, String> more) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            var builder = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "serve", "--port", "0", "--roles", role).redirectErrorStream(true);
            builder.environment().putAll(env);
            builder.environment().putAll(more);
            Server server = new Server(builder.start(), new CompletableFuture<>(), new StringBuffer());
            Thread reader = new Thread(server::read);
            reader.setDaemon(true);
            reader.start();
            return server;
        }

        private void read() {
            try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) listening.complete(Integer.parseInt(m.group(1)));
                }
                listening.completeExceptionally(new IllegalStateException("server exited:\n" + output));
            } catch (IOException e) {
                listening.completeExceptionally(e);
            }
        }

        int port() throws Exception {
            return listening.get(60, TimeUnit.SECONDS);
        }

        /** The sum of one group of the "aggregated N batches, M events" lines this process logged. */
        long aggregated(int group) {
            long sum = 0;
            Matcher m = AGGREGATED.matcher(output);
            while (m.find()) sum += Long.parseLong(m.group(group));
            return sum;
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }
}
