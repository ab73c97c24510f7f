package io.isotherm.collector;

import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two collectors on one database, both flushing every 20 ms while clients send to both at once: the sums in
 * {@code ingest_outcome} are exactly what the clients were answered, with no count lost, doubled or deadlocked.
 */
class IngestOutcomeConcurrencyTest {
    private static final int CLIENTS = 4;
    private static final int BATCHES_PER_CLIENT = 60;
    private static final String BOT_UA = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)";

    @Test
    void two_collectors_flushing_at_once_add_up_to_exact_sums() throws Exception {
        try (Database db = TestPostgres.open()) {
            SiteDao sites = new SiteDao(db.jdbi());
            Site first = sites.add("First shop", List.of(CollectorServer.ORIGIN), List.of());
            Site second = sites.add("Second shop", List.of(CollectorServer.ORIGIN), List.of());
            var settings = CollectorSettings.defaults().withOutcomeFlushInterval(Duration.ofMillis(20));
            Map<String, AtomicLong> expected = Map.of("stored", new AtomicLong(), "duplicate", new AtomicLong(),
                    "bot", new AtomicLong(), "origin_not_allowed https://evil.example", new AtomicLong());
            var problems = new ConcurrentLinkedQueue<String>();
            CollectorServer a = CollectorServer.start(db, settings);
            CollectorServer b = CollectorServer.start(db, settings);
            try {
                List<Thread> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    Site site = c % 2 == 0 ? first : second; // both sites through both collectors
                    Thread client = new Thread(() -> {
                        UUID pageview = UUID.randomUUID();
                        for (int seq = 0; seq < BATCHES_PER_CLIENT; seq++) {
                            CollectorServer one = seq % 2 == 0 ? a : b;
                            CollectorServer other = one == a ? b : a;
                            String body = Batches.json(Batches.simple(site.publicKey(), pageview, seq, 2));
                            expect(one.post(body), 202, "stored", site, expected, problems);
                            if (seq % 3 == 0) {
                                expect(other.post(body), 202, "duplicate", site, expected, problems);
                            }
                            if (seq % 5 == 0) {
                                expect(other.send(other.request(body).setHeader("Origin", "https://evil.example").build()), 403,
                                        "origin_not_allowed https://evil.example", site, expected, problems);
                            }
                            if (seq % 7 == 0) {
                                expect(one.send(one.request(body).setHeader("User-Agent", BOT_UA).build()), 204, "bot", site, expected, problems);
                            }
                        }
                    }, "client-" + c);
                    client.start();
                    clients.add(client);
                }
                for (Thread client : clients) {
                    client.join(120_000);
                    assertThat(client.isAlive()).isFalse();
                }
            } finally {
                a.close(); // each flushes what it still holds
                b.close();
            }

            assertThat(problems).isEmpty();
            // Both sites saw every outcome equally often (two clients each), so one expectation serves both.
            Map<String, Long> perSite = new java.util.TreeMap<>();
            expected.forEach((outcome, n) -> perSite.put(outcome, n.get() / 2));
            assertThat(perSite.get("stored")).isEqualTo(2L * BATCHES_PER_CLIENT);
            assertThat(OutcomeCounts.of(db, first.id())).isEqualTo(perSite);
            assertThat(OutcomeCounts.of(db, second.id())).isEqualTo(perSite);
            assertThat(Stored.count(db, "SELECT count(*) FROM ingest_batch WHERE site_id = ?", first.id()))
                    .isEqualTo(perSite.get("stored"));
            assertThat(OutcomeCounts.lastBatch(db, first.id())).isEqualTo("https://shop.example/ desktop");
        }
    }

    private static void expect(HttpResponse<String> response, int status, String outcome, Site site,
                               Map<String, AtomicLong> expected, ConcurrentLinkedQueue<String> problems) {
        if (response.statusCode() == status) {
            expected.get(outcome).incrementAndGet();
        } else {
            problems.add(site.name() + ": " + outcome + " answered " + response.statusCode() + " " + response.body());
        }
    }
}
