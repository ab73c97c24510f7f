package io.isotherm.collector;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer that cannot get on (here: ingest_batch is locked by another transaction) must not make the collector
 * acknowledge anything it has not stored: a full queue and a request that waits too long are answered 503 with
 * Retry-After, and the tracker's resend is stored exactly once.
 */
class OverloadTest {
    private static Database db;
    private static Site site;

    @BeforeAll
    static void open() {
        db = TestPostgres.open();
        site = new SiteDao(db.jdbi()).add("Shop", List.of(CollectorServer.ORIGIN), List.of());
    }

    @AfterAll
    static void close() {
        if (db != null) db.close();
    }

    /** One writer, a queue of one batch, a group of one batch: easy to fill. */
    private static CollectorSettings tiny(Duration requestTimeout) {
        return new CollectorSettings(64 * 1024, 1, 1, 0, 1, requestTimeout, Duration.ofSeconds(7), DeviceWidths.DEFAULT);
    }

    /** Holds an exclusive lock on ingest_batch until the handle is closed. */
    private static Handle lockReceipts() {
        Handle lock = db.jdbi().open();
        lock.begin();
        lock.execute("LOCK TABLE ingest_batch IN ACCESS EXCLUSIVE MODE");
        return lock;
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

    private static boolean writerWaitsForTheLock() {
        return Stored.count(db, """
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock'""") >= 1;
    }

    private static long stored(UUID pageview) {
        return Stored.count(db, "SELECT count(*) FROM raw_event WHERE pageview_id = ?", pageview);
    }

    private static void assertRetryLater(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("7");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains(CollectorServer.ORIGIN);
        JsonNode body = Batches.parse(response.body());
        assertThat(body.path("error").isTextual()).as(response.body()).isTrue();
        assertThat(body.has("field")).as(response.body()).isFalse();
    }

    @Test
    void answers_503_with_retry_after_when_the_queue_is_full_and_stores_the_resend_once() throws Exception {
        UUID first = UUID.randomUUID();
        UUID queued = UUID.randomUUID();
        UUID refused = UUID.randomUUID();
        String refusedBody = Batches.json(Batches.simple(site.publicKey(), refused, 0, 2));
        try (var server = CollectorServer.start(db, tiny(Duration.ofSeconds(20)))) {
            CompletableFuture<HttpResponse<String>> firstAnswer;
            CompletableFuture<HttpResponse<String>> queuedAnswer;
            HttpResponse<String> refusedAnswer;
            try (Handle lock = lockReceipts()) {
                firstAnswer = CompletableFuture.supplyAsync(() -> server.post(Batches.simple(site.publicKey(), first, 0, 3)));
                await("the writer to wait for the lock", OverloadTest::writerWaitsForTheLock);
                queuedAnswer = CompletableFuture.supplyAsync(() -> server.post(Batches.simple(site.publicKey(), queued, 0, 4)));
                await("the second batch to wait in the queue",
                        () -> server.registry.get("isotherm.collect.queue.depth").gauge().value() == 1);

                refusedAnswer = server.post(refusedBody);

                assertThat(firstAnswer).isNotDone();
                assertThat(queuedAnswer).isNotDone();
                lock.rollback();
            }

            assertRetryLater(refusedAnswer);
            assertThat(server.counter("isotherm.collect.batches.rejected", "reason", "overloaded")).isEqualTo(1);
            assertThat(firstAnswer.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
            assertThat(queuedAnswer.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
            assertThat(stored(first)).isEqualTo(3);
            assertThat(stored(queued)).isEqualTo(4);
            assertThat(stored(refused)).isZero();

            assertThat(server.post(refusedBody).statusCode()).isEqualTo(202);
            assertThat(stored(refused)).isEqualTo(2);
            assertThat(Stored.count(db, "SELECT count(*) FROM ingest_batch WHERE pageview_id = ?", refused)).isEqualTo(1);
        }
    }

    @Test
    void answers_503_when_storing_takes_longer_than_the_request_timeout_and_stores_the_resend_once() throws Exception {
        UUID slow = UUID.randomUUID();
        String body = Batches.json(Batches.simple(site.publicKey(), slow, 0, 3));
        try (var server = CollectorServer.start(db, tiny(Duration.ofSeconds(1)))) {
            HttpResponse<String> answer;
            try (Handle lock = lockReceipts()) {
                answer = server.post(body); // the writer waits for the lock longer than the request may
                lock.rollback();
            }

            assertRetryLater(answer);
            assertThat(server.counter("isotherm.collect.batches.rejected", "reason", "database_unavailable")).isEqualTo(1);
            // The tracker resends the same batch; whether or not the first attempt got stored late, it is there once.
            HttpResponse<String> resend = server.post(body);
            assertThat(resend.statusCode()).as(resend.body()).isEqualTo(202);
            assertThat(stored(slow)).isEqualTo(3);
            assertThat(Stored.count(db, "SELECT count(*) FROM ingest_batch WHERE pageview_id = ?", slow)).isEqualTo(1);
        }
    }
}
