package io.isotherm.collector;

import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.device.DeviceWidths;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer queue shared between sites: a site flooding the collector fills only its share of the queue (its
 * excess gets 503 and is retried), and the batches of other sites are still taken, written in turn with the
 * flood's, answered 202 and stored exactly once.
 */
class FairShareTest {
    private static Database db;
    private static SiteDao sites;

    @BeforeAll
    static void open() {
        db = TestPostgres.open();
        sites = new SiteDao(db.jdbi());
    }

    @AfterAll
    static void close() {
        if (db != null) db.close();
    }

    private static Site newSite(String name) {
        return sites.add(name, List.of(CollectorServer.ORIGIN), List.of());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private static long receipts(UUID pageview) {
        return Stored.count(db, "SELECT count(*) FROM ingest_batch WHERE pageview_id = ?", pageview);
    }

    /** The transaction that wrote a batch's receipt: with one batch per group, the order of the groups. */
    private static long writtenBy(UUID pageview) {
        return Stored.count(db, "SELECT xmin::text::bigint FROM ingest_batch WHERE pageview_id = ?", pageview);
    }

    @Test
    void a_flooded_site_fills_only_its_share_of_the_queue_and_another_sites_batch_is_written_next() throws Exception {
        Site flooded = newSite("Flooded");
        Site other = newSite("Other");
        // One writer, one batch per transaction, a queue of 16 of which a site may fill half.
        CollectorSettings settings = new CollectorSettings(64 * 1024, 16, 1, 0, 1, Duration.ofSeconds(30), Duration.ofSeconds(1),
                DeviceWidths.DEFAULT).withLimits(CollectLimits.none().withQueueSharePercent(50));
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try (var server = CollectorServer.start(db, settings)) {
            List<UUID> floodViews = new ArrayList<>();
            List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
            CompletableFuture<HttpResponse<String>> otherAnswer;
            UUID otherView = UUID.randomUUID();
            try (Handle lock = db.jdbi().open()) {
                lock.begin();
                lock.execute("LOCK TABLE ingest_batch IN ACCESS EXCLUSIVE MODE"); // the writer waits: the queue fills
                for (int i = 0; i < 13; i++) { // one for the writer, eight for the queue, four too many
                    UUID pageview = UUID.randomUUID();
                    floodViews.add(pageview);
                    flood.add(CompletableFuture.supplyAsync(() -> server.post(Batches.simple(flooded.publicKey(), pageview, 0, 2)), clients));
                }
                await("the flood to fill its share", () -> flood.stream().filter(CompletableFuture::isDone).count() == 4
                        && server.registry.get("isotherm.collect.queue.depth").gauge().value() == 8);

                otherAnswer = CompletableFuture.supplyAsync(() -> server.post(Batches.simple(other.publicKey(), otherView, 0, 3)), clients);
                await("the other site's batch to be queued",
                        () -> server.registry.get("isotherm.collect.queue.depth").gauge().value() == 9);
                assertThat(otherAnswer).as("queued, not refused").isNotDone();
                lock.rollback();
            }

            assertThat(otherAnswer.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
            assertThat(receipts(otherView)).isEqualTo(1);
            int refused = 0;
            long writtenBefore = 0;
            for (int i = 0; i < flood.size(); i++) {
                HttpResponse<String> answer = flood.get(i).get(20, TimeUnit.SECONDS);
                if (answer.statusCode() == 503) {
                    refused++;
                    assertThat(answer.body()).contains("busy with this site's batches");
                    assertThat(answer.headers().firstValue("Retry-After")).contains("1");
                    assertThat(receipts(floodViews.get(i))).isZero();
                } else {
                    assertThat(answer.statusCode()).isEqualTo(202);
                    assertThat(receipts(floodViews.get(i))).isEqualTo(1);
                    if (writtenBy(floodViews.get(i)) < writtenBy(otherView)) writtenBefore++;
                }
            }
            assertThat(refused).isEqualTo(4);
            // The batch the writer held and the flood's first queued one; in one line, all nine would have gone first.
            assertThat(writtenBefore).as("flood batches written before the other site's").isLessThanOrEqualTo(2);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void another_sites_batches_are_answered_and_stored_once_while_many_clients_flood_one_site() throws Exception {
        Site flooded = newSite("Flooded");
        Site other = newSite("Other");
        CollectorSettings settings = CollectorSettings.defaults().withLimits(CollectLimits.none().withQueueSharePercent(50));
        int floodClients = 16;
        ExecutorService pool = Executors.newFixedThreadPool(floodClients);
        AtomicBoolean flooding = new AtomicBoolean(true);
        Map<UUID, Integer> floodStored = new ConcurrentHashMap<>();
        Map<Integer, Integer> floodAnswers = new ConcurrentHashMap<>();
        try (var server = CollectorServer.start(db, settings)) {
            List<CompletableFuture<Void>> floods = new ArrayList<>();
            for (int c = 0; c < floodClients; c++) {
                floods.add(CompletableFuture.runAsync(() -> {
                    UUID pageview = UUID.randomUUID();
                    for (int seq = 0; flooding.get(); seq++) {
                        int status = server.post(Batches.simple(flooded.publicKey(), pageview, seq, 20)).statusCode();
                        floodAnswers.merge(status, 1, Integer::sum);
                        if (status == 202) floodStored.merge(pageview, 1, Integer::sum);
                    }
                }, pool));
            }
            UUID otherView = UUID.randomUUID();
            int otherBatches = 20;
            try {
                Thread.sleep(500); // the flood is under way
                for (int seq = 0; seq < otherBatches; seq++) {
                    long start = System.nanoTime();
                    HttpResponse<String> answer = server.post(Batches.simple(other.publicKey(), otherView, seq, 3));
                    assertThat(answer.statusCode()).as("the other site's batch %d: %s", seq, answer.body()).isEqualTo(202);
                    // Liveness, not speed: a starved site would wait for the request timeout (10 s) and get 503.
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
                    Thread.sleep(50);
                }
            } finally {
                flooding.set(false);
            }
            CompletableFuture.allOf(floods.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            assertThat(receipts(otherView)).isEqualTo(otherBatches);
            assertThat(Stored.count(db, "SELECT count(*) FROM raw_event WHERE pageview_id = ?", otherView)).isEqualTo(3L * otherBatches);
            assertThat(floodAnswers.keySet()).as("answers to the flood").isSubsetOf(202, 503);
            assertThat(floodAnswers.get(202)).as("the flood got in too").isPositive();
            floodStored.forEach((pageview, accepted) -> assertThat(receipts(pageview)).as("receipts of %s", pageview)
                    .isGreaterThanOrEqualTo(accepted));
            long floodReceipts = Stored.count(db, "SELECT count(*) FROM ingest_batch WHERE site_id = ?", flooded.id());
            long floodEvents = Stored.count(db, "SELECT count(*) FROM raw_event WHERE site_id = ?", flooded.id());
            assertThat(floodEvents).as("each stored batch once").isEqualTo(20 * floodReceipts);
        } finally {
            pool.shutdownNow();
        }
    }
}
