package io.isotherm.collector;

import io.isotherm.db.Database;
import io.isotherm.db.EmbeddedDatabase;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL goes away under load and comes back. Clients that behave like the tracker (resend the same batch after
 * a 503 until it is answered 202) must lose nothing and duplicate nothing: every 202 ends up stored exactly once.
 */
class DatabaseOutageTest {
    private static final int CLIENTS = 4;
    /** How long a client waits before resending after a 503; the tracker would honour Retry-After instead. */
    private static final long BACKOFF_MILLIS = 200;
    /** Bounds every wait and every client, so a collector that never recovers fails the test instead of hanging it. */
    private static final long PHASE_TIMEOUT_MILLIS = 30_000;
    private static final String RETRY_AFTER_SECONDS = Long.toString(CollectorSettings.defaults().retryAfter().toSeconds());

    @TempDir
    Path dataDir;

    /** What one tracker-like client did. */
    private static final class Client implements Runnable {
        final UUID pageview = UUID.randomUUID();
        final Map<Integer, Integer> acknowledged = new ConcurrentHashMap<>(); // seq -> events, answered 202
        final AtomicInteger started = new AtomicInteger();
        final Random random;
        final CollectorServer server;
        final Site site;
        final Outage outage;

        Client(int number, CollectorServer server, Site site, Outage outage) {
            this.random = new Random(number);
            this.server = server;
            this.site = site;
            this.outage = outage;
        }

        @Override
        public void run() {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * PHASE_TIMEOUT_MILLIS);
            try {
                for (int seq = 0; !outage.stopSending.get() && seq < 10_000; seq++) {
                    int events = 1 + random.nextInt(5);
                    String body = Batches.json(Batches.simple(site.publicKey(), pageview, seq, events));
                    started.incrementAndGet();
                    // Like the tracker: the same batch (same pageview and seq) again after every 503, until it is stored.
                    for (int attempt = 0; ; attempt++) {
                        if (attempt == 1000 || System.nanoTime() - deadline > 0) {
                            outage.problems.add(pageview + " gave up on seq " + seq);
                            return;
                        }
                        HttpResponse<String> response = server.post(body);
                        if (response.statusCode() == 202) {
                            acknowledged.put(seq, events);
                            outage.acknowledged.incrementAndGet();
                            break;
                        }
                        if (response.statusCode() != 503) {
                            outage.problems.add("unexpected " + response.statusCode() + ": " + response.body());
                            return;
                        }
                        String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
                        if (!RETRY_AFTER_SECONDS.equals(retryAfter)) {
                            outage.problems.add("503 with Retry-After " + retryAfter + ": " + response.body());
                        }
                        if (!Batches.parse(response.body()).path("error").isTextual()) {
                            outage.problems.add("503 without an error: " + response.body());
                        }
                        if (outage.down.get()) {
                            outage.refusedWhileDown.incrementAndGet();
                        }
                        Thread.sleep(BACKOFF_MILLIS);
                    }
                    Thread.sleep(5); // a steady stream, not a flood: the outage must fall in the middle of it
                }
            } catch (Exception e) {
                outage.problems.add(pageview + " failed: " + e);
            }
        }
    }

    /** What the clients and the test share. */
    private static final class Outage {
        final AtomicBoolean down = new AtomicBoolean();
        final AtomicBoolean stopSending = new AtomicBoolean();
        final AtomicInteger acknowledged = new AtomicInteger();
        final AtomicInteger refusedWhileDown = new AtomicInteger();
        final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PHASE_TIMEOUT_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void answers_503_while_the_database_is_down_and_stores_every_acknowledged_batch_exactly_once_after_it_returns()
            throws Exception {
        EmbeddedDatabase postgres = EmbeddedDatabase.startOrAttach(dataDir);
        int port = postgres.port();
        Database db = null;
        CollectorServer server = null;
        Outage outage = new Outage();
        List<Client> clients = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            db = Database.open(postgres.settings(10), null);
            Site site = new SiteDao(db.jdbi()).add("Shop", List.of(CollectorServer.ORIGIN), List.of());
            // Many clients as fast as they can, all from this machine's one address: the rate limits (RateLimitTest) would
            // answer most of them 429, so they are off here.
            server = CollectorServer.start(db, CollectorSettings.defaults().withLimits(CollectLimits.none()));
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    Client client = new Client(i, server, site, outage);
                    clients.add(client);
                    Thread thread = new Thread(client, "tracker-" + i);
                    threads.add(thread);
                    thread.start();
                }

                await("batches stored before the outage", () -> outage.acknowledged.get() >= 40);
                postgres.close(); // stops PostgreSQL
                outage.down.set(true);
                await("503 answers while PostgreSQL is down", () -> outage.refusedWhileDown.get() >= 3);
                int acknowledgedBeforeRestart = outage.acknowledged.get();

                outage.down.set(false);
                // The pool only finds the server again on the same port.
                postgres = EmbeddedDatabase.startOrAttach(dataDir, port);
                assertThat(postgres.port()).isEqualTo(port);
                await("batches stored after the restart", () -> outage.acknowledged.get() >= acknowledgedBeforeRestart + 40);
            } finally {
                outage.stopSending.set(true);
                for (Thread thread : threads) {
                    thread.join(3 * PHASE_TIMEOUT_MILLIS);
                }
            }
            System.out.printf("outage run: %d batches stored, %d answered 503 while PostgreSQL was down%n",
                    outage.acknowledged.get(), outage.refusedWhileDown.get());

            assertThat(threads).noneMatch(Thread::isAlive);
            assertThat(outage.problems).isEmpty();
            assertThat(outage.refusedWhileDown.get()).isGreaterThanOrEqualTo(3);
            Map<String, Integer> sent = new HashMap<>();
            for (Client client : clients) {
                // Every batch a client started was eventually answered 202: none was given up on.
                assertThat(client.acknowledged).as("batches of %s", client.pageview).hasSize(client.started.get());
                client.acknowledged.forEach((seq, events) -> sent.put(client.pageview + "/" + seq, events));
            }
            Map<String, Integer> stored = new HashMap<>();
            Map<String, Integer> receipts = new HashMap<>();
            db.jdbi().useHandle(h -> {
                h.createQuery("SELECT pageview_id, seq, count(*) AS n FROM raw_event GROUP BY pageview_id, seq")
                        .map((rs, ctx) -> Map.entry(rs.getObject("pageview_id") + "/" + rs.getInt("seq"), rs.getInt("n")))
                        .forEach(e -> stored.put(e.getKey(), e.getValue()));
                // a key met twice would show as -1: receipts are unique per (site, pageview, seq)
                h.createQuery("SELECT pageview_id, seq, event_count FROM ingest_batch")
                        .map((rs, ctx) -> Map.entry(rs.getObject("pageview_id") + "/" + rs.getInt("seq"), rs.getInt("event_count")))
                        .forEach(e -> receipts.merge(e.getKey(), e.getValue(), (a, b) -> -1));
            });
            assertThat(stored).as("events stored per (pageview, seq)").isEqualTo(sent);
            assertThat(receipts).as("receipts per (pageview, seq)").isEqualTo(sent);
        } finally {
            outage.stopSending.set(true);
            if (server != null) server.close();
            if (db != null) db.close();
            postgres.close();
        }
    }
}
