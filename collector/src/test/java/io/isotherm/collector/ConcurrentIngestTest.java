package io.isotherm.collector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.event.RawEvent;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Many clients at once, and the same batch more than once: every 202 is stored, and stored exactly once. */
class ConcurrentIngestTest {
    private static Database db;
    private static SiteDao sites;
    private static CollectorServer server;

    @BeforeAll
    static void start() {
        db = TestPostgres.open();
        sites = new SiteDao(db.jdbi());
        // Many clients as fast as they can, all from this machine's one address: the rate limits (RateLimitTest) would
        // answer most of them 429, so they are off here.
        server = CollectorServer.start(db, CollectorSettings.defaults().withLimits(CollectLimits.none()));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (db != null) db.close();
    }

    private static Site newSite() {
        return sites.add("Shop", List.of(CollectorServer.ORIGIN), List.of());
    }

    private static String key(Object pageview, int seq) {
        return pageview + "/" + seq;
    }

    /** Events stored per (pageview, seq) of a site. */
    private static Map<String, Integer> storedEventsByBatch(Site site) {
        Map<String, Integer> stored = new HashMap<>();
        db.jdbi().useHandle(h -> h.createQuery("""
                        SELECT pageview_id, seq, count(*) AS n FROM raw_event WHERE site_id = :site GROUP BY pageview_id, seq""")
                .bind("site", site.id())
                .map((rs, ctx) -> Map.entry(key(rs.getObject("pageview_id", UUID.class), rs.getInt("seq")), rs.getInt("n")))
                .forEach(e -> stored.put(e.getKey(), e.getValue())));
        return stored;
    }

    @Test
    void stores_exactly_the_events_of_every_accepted_batch_from_32_concurrent_clients() throws Exception {
        Site site = newSite();
        int clients = 32;
        int batchesPerClient = 200;
        Map<String, Integer> acceptedBatches = new ConcurrentHashMap<>();
        AtomicInteger acceptedEvents = new AtomicInteger();
        Map<Integer, AtomicInteger> otherAnswers = new ConcurrentHashMap<>();
        CyclicBarrier together = new CyclicBarrier(clients);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> work = new ArrayList<>();
        try {
            for (int c = 0; c < clients; c++) {
                Random random = new Random(c);
                work.add(pool.submit(() -> {
                    UUID pageview = UUID.randomUUID();
                    together.await(30, TimeUnit.SECONDS);
                    for (int seq = 0; seq < batchesPerClient; seq++) {
                        int events = 1 + random.nextInt(5);
                        HttpResponse<String> response = server.post(Batches.simple(site.publicKey(), pageview, seq, events));
                        if (response.statusCode() == 202) {
                            acceptedBatches.put(key(pageview, seq), events);
                            acceptedEvents.addAndGet(events);
                        } else {
                            otherAnswers.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).as("clients finished").isTrue();
            for (Future<?> f : work) {
                f.get(); // a client that failed with an exception fails the test
            }
        } finally {
            pool.shutdownNow();
        }

        // The collector is far from full (queue 10,000 > 32 requests in flight) and the database is healthy.
        assertThat(otherAnswers).as("answers other than 202, by status").isEmpty();
        assertThat(acceptedBatches).hasSize(clients * batchesPerClient);
        long storedEvents = Stored.count(db, "SELECT count(*) FROM raw_event WHERE site_id = ?", site.id());
        long receipts = Stored.count(db, "SELECT count(*) FROM ingest_batch WHERE site_id = ?", site.id());
        long receiptEvents = Stored.count(db,
                "SELECT coalesce(sum(event_count), 0) FROM ingest_batch WHERE site_id = ?", site.id());
        assertThat(storedEvents).isEqualTo(acceptedEvents.get());
        assertThat(receipts).isEqualTo(acceptedBatches.size());
        assertThat(receiptEvents).isEqualTo(acceptedEvents.get());
        assertThat(storedEventsByBatch(site)).isEqualTo(acceptedBatches);
    }

    @Test
    void stores_the_same_batch_sent_by_20_threads_at_once_exactly_once() throws Exception {
        Site site = newSite();
        UUID pageview = UUID.randomUUID();
        String body = Batches.json(Batches.simple(site.publicKey(), pageview, 3, 4));
        int senders = 20;
        CyclicBarrier together = new CyclicBarrier(senders);
        double freshBefore = server.counter("isotherm.collect.batches.accepted");
        double duplicatesBefore = server.counter("isotherm.collect.batches.duplicate");
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < senders; i++) {
                answers.add(pool.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    return server.post(body).statusCode();
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get(60, TimeUnit.SECONDS));
            }
            assertThat(statuses).hasSize(senders).containsOnly(202);
        } finally {
            pool.shutdownNow();
        }

        assertThat(Stored.count(db, "SELECT count(*) FROM ingest_batch WHERE pageview_id = ?", pageview)).isEqualTo(1);
        assertThat(Stored.count(db, "SELECT event_count FROM ingest_batch WHERE pageview_id = ?", pageview)).isEqualTo(4);
        assertThat(Stored.events(db, pageview)).hasSize(4).extracting(RawEvent::seq).containsOnly(3);
        assertThat(server.counter("isotherm.collect.batches.accepted") - freshBefore).isEqualTo(1);
        assertThat(server.counter("isotherm.collect.batches.duplicate") - duplicatesBefore).isEqualTo(senders - 1);
    }

    @Test
    void stores_a_batch_sent_twice_in_a_row_once() {
        Site site = newSite();
        UUID pageview = UUID.randomUUID();
        String body = Batches.json(Batches.simple(site.publicKey(), pageview, 0, 3));

        assertThat(server.post(body).statusCode()).isEqualTo(202);
        assertThat(server.post(body).statusCode()).isEqualTo(202);

        assertThat(Stored.events(db, pageview)).hasSize(3);
        assertThat(Stored.count(db, "SELECT count(*) FROM ingest_batch WHERE pageview_id = ?", pageview)).isEqualTo(1);
    }

    @Test
    void keeps_the_first_batch_when_a_repeat_with_the_same_seq_carries_other_events() {
        Site site = newSite();
        UUID pageview = UUID.randomUUID();
        ObjectNode first = Batches.simple(site.publicKey(), pageview, 5, 1); // one click at (10, 20)
        ObjectNode repeat = Batches.simple(site.publicKey(), pageview, 5, 2);
        Batches.event(repeat, 0).put("x", 999).put("y", 999);

        assertThat(server.post(first).statusCode()).isEqualTo(202);
        assertThat(server.post(repeat).statusCode()).isEqualTo(202);

        assertThat(Stored.events(db, pageview)).singleElement().satisfies(e -> {
            assertThat(e.x()).isEqualTo(10);
            assertThat(e.y()).isEqualTo(20);
        });
        assertThat(Stored.count(db, "SELECT event_count FROM ingest_batch WHERE pageview_id = ?", pageview)).isEqualTo(1);
    }

    @Test
    void stores_two_batches_of_one_pageview_with_different_seq() {
        Site site = newSite();
        UUID pageview = UUID.randomUUID();

        assertThat(server.post(Batches.simple(site.publicKey(), pageview, 0, 2)).statusCode()).isEqualTo(202);
        assertThat(server.post(Batches.simple(site.publicKey(), pageview, 1, 3)).statusCode()).isEqualTo(202);

        assertThat(storedEventsByBatch(site)).containsOnly(Map.entry(key(pageview, 0), 2), Map.entry(key(pageview, 1), 3));
        assertThat(Stored.count(db, "SELECT count(*) FROM ingest_batch WHERE pageview_id = ?", pageview)).isEqualTo(2);
    }

    @Test
    void stores_the_same_pageview_and_seq_once_per_site() {
        Site one = newSite();
        Site other = newSite();
        UUID pageview = UUID.randomUUID();

        assertThat(server.post(Batches.simple(one.publicKey(), pageview, 0, 2)).statusCode()).isEqualTo(202);
        assertThat(server.post(Batches.simple(other.publicKey(), pageview, 0, 3)).statusCode()).isEqualTo(202);

        assertThat(storedEventsByBatch(one)).containsOnly(Map.entry(key(pageview, 0), 2));
        assertThat(storedEventsByBatch(other)).containsOnly(Map.entry(key(pageview, 0), 3));
    }
}
