package io.isotherm.collector;

import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.device.DeviceClass;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link IngestOutcomes} on its own against a real PostgreSQL: bounded details, failed flushes, concurrency, pruning. */
class IngestOutcomesTest {
    private static Database db;
    private static SiteDao sites;

    @BeforeAll
    static void start() {
        db = TestPostgres.open();
        sites = new SiteDao(db.jdbi());
    }

    @AfterAll
    static void stop() {
        if (db != null) db.close();
    }

    /** A clock the test moves by hand; it starts in the middle of a minute. */
    private static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-03-01T10:15:30Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }
    }

    private static Site newSite() {
        return sites.add("Shop", List.of("https://shop.example"), List.of());
    }

    private static AcceptedBatch batch(int siteId, DeviceClass device, String pageUrl) {
        return new AcceptedBatch(new BatchReceipt(siteId, UUID.randomUUID(), 0, 1, 0, null, null, null, null, null), pageUrl, device, List.of());
    }

    /** Makes the next write to {@code table} fail until {@link #repair} (an outage in the middle of a flush). */
    private static void breakWrites(String table) {
        db.jdbi().useHandle(h -> {
            h.execute("CREATE OR REPLACE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
                    + "$$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$");
            h.execute("CREATE TRIGGER test_refuse BEFORE INSERT OR UPDATE ON " + table + " FOR EACH ROW EXECUTE FUNCTION test_refuse()");
        });
    }

    private static void repair(String table) {
        db.jdbi().useHandle(h -> h.execute("DROP TRIGGER test_refuse ON " + table));
    }

    @Test
    void writes_counts_per_minute_and_adds_to_what_is_there() {
        Site shop = newSite();
        var clock = new TestClock();
        var outcomes = new IngestOutcomes(db.jdbi(), clock);

        outcomes.count(shop.id(), IngestOutcome.BOT);
        outcomes.count(shop.id(), IngestOutcome.BOT);
        assertThat(outcomes.flush()).isTrue();
        outcomes.count(shop.id(), IngestOutcome.BOT);
        clock.advance(Duration.ofMinutes(1));
        outcomes.count(shop.id(), IngestOutcome.BOT);
        assertThat(outcomes.flush()).isTrue();
        assertThat(outcomes.flush()).as("nothing new").isTrue();

        List<String> rows = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT to_char(minute AT TIME ZONE 'UTC', 'HH24:MI:SS') || ' ' || outcome || ' ' || batches
                        FROM ingest_outcome WHERE site_id = :site ORDER BY minute""")
                .bind("site", shop.id()).mapTo(String.class).list());
        assertThat(rows).containsExactly("10:15:00 bot 3", "10:16:00 bot 1");
    }

    @Test
    void folds_details_beyond_twenty_per_site_and_minute_into_other() {
        Site shop = newSite();
        Site other = newSite();
        var clock = new TestClock();
        var outcomes = new IngestOutcomes(db.jdbi(), clock);

        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 25; i++) {
                outcomes.dropped(shop.id(), Drop.originNotAllowed("no", "Origin", "https://o" + i + ".example"));
            }
        }
        outcomes.dropped(other.id(), Drop.originNotAllowed("no", "Origin", "https://o24.example"));
        assertThat(outcomes.flush()).isTrue();
        clock.advance(Duration.ofMinutes(1));
        outcomes.dropped(shop.id(), Drop.originNotAllowed("no", "Origin", "https://o24.example"));
        assertThat(outcomes.flush()).isTrue();

        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            expected.put("origin_not_allowed https://o" + i + ".example", 2L);
        }
        expected.put("origin_not_allowed other", 10L);
        expected.put("origin_not_allowed https://o24.example", 1L); // a new minute, room again
        assertThat(OutcomeCounts.of(db, shop.id())).isEqualTo(expected);
        assertThat(OutcomeCounts.of(db, other.id())).as("another site's budget")
                .isEqualTo(Map.of("origin_not_allowed https://o24.example", 1L));
    }

    @Test
    void cuts_a_detail_to_200_characters_without_control_characters() {
        Site shop = newSite();
        var outcomes = new IngestOutcomes(db.jdbi(), new TestClock());
        String longOrigin = "https://" + "a".repeat(300) + ".example";

        outcomes.dropped(shop.id(), Drop.originNotAllowed("no", "Origin", longOrigin));
        outcomes.dropped(shop.id(), Drop.originNotAllowed("no", "Origin", "https://x\u0000y\u001f.example"));
        assertThat(outcomes.flush()).isTrue();

        assertThat(OutcomeCounts.of(db, shop.id())).isEqualTo(Map.of(
                "origin_not_allowed " + longOrigin.substring(0, 200), 1L,
                "origin_not_allowed https://x?y?.example", 1L));
        assertThat(IngestOutcomes.clean("a".repeat(199) + "\uD834\uDD1E" + "b")).as("no half of a character").isEqualTo("a".repeat(199));
    }

    @Test
    void does_not_count_refusals_of_an_unknown_site() {
        Site shop = newSite();
        var outcomes = new IngestOutcomes(db.jdbi(), new TestClock());

        outcomes.dropped(shop.id(), Drop.unknownSite());
        outcomes.dropped(shop.id(), Drop.overloaded());
        assertThat(outcomes.flush()).isTrue();

        assertThat(OutcomeCounts.of(db, shop.id())).isEqualTo(Map.of("overloaded", 1L));
    }

    @Test
    void keeps_the_counts_of_a_failed_flush_for_the_next_one_without_adding_them_twice() {
        Site shop = newSite();
        var outcomes = new IngestOutcomes(db.jdbi(), new TestClock());
        outcomes.stored(batch(shop.id(), DeviceClass.MOBILE, "https://shop.example/a"), GroupCommitWriter.Outcome.STORED, Instant.now());
        outcomes.count(shop.id(), IngestOutcome.BOT);

        // The counts are written, then the last batch fails: the whole flush is rolled back.
        breakWrites("ingest_last_batch");
        try {
            assertThat(outcomes.flush()).isFalse();
            outcomes.count(shop.id(), IngestOutcome.BOT);
            assertThat(outcomes.flush()).isFalse();
        } finally {
            repair("ingest_last_batch");
        }
        assertThat(OutcomeCounts.of(db, shop.id())).isEmpty();
        assertThat(OutcomeCounts.lastBatch(db, shop.id())).isNull();

        assertThat(outcomes.flush()).isTrue();
        assertThat(outcomes.flush()).isTrue();

        assertThat(OutcomeCounts.of(db, shop.id())).isEqualTo(Map.of("stored", 1L, "bot", 2L));
        assertThat(OutcomeCounts.lastBatch(db, shop.id())).isEqualTo("https://shop.example/a mobile");
    }

    @Test
    void drops_counts_that_could_not_be_written_for_longer_than_they_are_kept() {
        Site shop = newSite();
        var clock = new TestClock();
        var outcomes = new IngestOutcomes(db.jdbi(), clock);
        outcomes.count(shop.id(), IngestOutcome.STORED);
        breakWrites("ingest_outcome");
        try {
            assertThat(outcomes.flush()).isFalse();
        } finally {
            repair("ingest_outcome");
        }
        clock.advance(IngestOutcomes.KEEP.plusMinutes(1));
        outcomes.count(shop.id(), IngestOutcome.DUPLICATE);

        assertThat(outcomes.flush()).isTrue();

        assertThat(OutcomeCounts.of(db, shop.id())).isEqualTo(Map.of("duplicate", 1L));
    }

    @Test
    void leaves_out_the_counts_of_a_site_removed_before_the_flush() {
        Site removed = newSite();
        Site kept = newSite();
        var outcomes = new IngestOutcomes(db.jdbi(), new TestClock());
        outcomes.stored(batch(removed.id(), DeviceClass.DESKTOP, "https://shop.example/"), GroupCommitWriter.Outcome.STORED, Instant.now());
        outcomes.count(kept.id(), IngestOutcome.STORED);
        assertThat(sites.remove(removed.publicKey())).isTrue();

        assertThat(outcomes.flush()).isTrue();

        assertThat(Stored.count(db, "SELECT count(*) FROM ingest_outcome WHERE site_id = ?", removed.id())).isZero();
        assertThat(OutcomeCounts.lastBatch(db, removed.id())).isNull();
        assertThat(OutcomeCounts.of(db, kept.id())).isEqualTo(Map.of("stored", 1L));
    }

    @Test
    void loses_and_doubles_no_increment_while_flushes_run_alongside() throws Exception {
        Site shop = newSite();
        var outcomes = new IngestOutcomes(db.jdbi(), Clock.systemUTC());
        int threads = 4;
        int perThread = 100_000;
        var start = new CountDownLatch(1);
        var done = new AtomicBoolean();
        var flushes = new AtomicInteger();
        Thread flusher = new Thread(() -> {
            while (!done.get()) {
                if (outcomes.flush()) flushes.incrementAndGet();
            }
        });
        List<Thread> counters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            IngestOutcome outcome = t % 2 == 0 ? IngestOutcome.STORED : IngestOutcome.DUPLICATE;
            Thread counter = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    outcomes.count(shop.id(), outcome);
                }
            });
            counter.start();
            counters.add(counter);
        }
        flusher.start();
        start.countDown();
        for (Thread counter : counters) {
            counter.join();
        }
        done.set(true);
        flusher.join();
        assertThat(outcomes.flush()).isTrue();

        System.out.printf("%d flushes while %d increments ran%n", flushes.get(), threads * perThread);
        assertThat(flushes.get()).as("flushes while counting").isGreaterThan(1);
        assertThat(OutcomeCounts.of(db, shop.id())).isEqualTo(Map.of(
                "stored", (long) perThread * threads / 2,
                "duplicate", (long) perThread * threads / 2));
    }

    @Test
    void prunes_counts_older_than_two_days_only() {
        Site shop = newSite();
        db.jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO ingest_outcome (site_id, minute, outcome, detail, batches) VALUES
                        (:site, date_trunc('minute', now() - interval '2 days 1 minute'), 'stored', '', 5),
                        (:site, date_trunc('minute', now() - interval '47 hours'), 'stored', '', 7)""")
                .bind("site", shop.id()).execute());
        var outcomes = new IngestOutcomes(db.jdbi(), Clock.systemUTC());

        assertThat(outcomes.prune()).isGreaterThanOrEqualTo(1);

        assertThat(OutcomeCounts.of(db, shop.id())).isEqualTo(Map.of("stored", 7L));
    }
}
