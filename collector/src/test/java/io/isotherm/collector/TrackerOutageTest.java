package io.isotherm.collector;

import io.isotherm.collector.BrowserSession.Box;
import io.isotherm.db.Database;
import io.isotherm.db.EmbeddedDatabase;
import io.isotherm.db.event.RawEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.isotherm.collector.TestSite.ofKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The tracker in a real Chromium against a collector whose PostgreSQL goes away: the batch answered 503 stays in the
 * page and is retried with the same seq until the database is back, and then it is stored exactly once.
 */
class TrackerOutageTest {
    /** The first send waits for the tracker's 5 s timer, and each 503 for the pool's 2 s connection timeout. */
    private static final long PATIENCE_MILLIS = 30_000;

    @TempDir
    Path dataDir;
    @TempDir
    Path profile;

    @Test
    void a_batch_refused_with_503_is_retried_and_stored_exactly_once_when_the_database_is_back() {
        EmbeddedDatabase postgres = EmbeddedDatabase.startOrAttach(dataDir);
        int port = postgres.port();
        Database db = null;
        TestSite site = null;
        BrowserSession browser = null;
        try {
            db = Database.open(postgres.settings(10), null);
            site = TestSite.start(db);
            browser = BrowserSession.start(profile);
            TestSite shop = site;
            String page = "outage/layout.html";

            postgres.close(); // stops PostgreSQL
            browser.open(site.url(page));
            Instant clicking = Instant.now();
            for (String target : List.of("#buy", "[data-testid=card-2]", ".tile")) {
                Box box = browser.box(target);
                browser.click(box.x(0.5), box.y(0.9));
            }
            Instant clicked = Instant.now();
            TestSite.await("the tracker's batch answered 503", () -> unavailable(shop), n -> n >= 1, PATIENCE_MILLIS);
            assertThat(shop.collector.counter("isotherm.collect.batches.accepted")).as("batches stored during the outage")
                    .isZero();

            Instant restarted = Instant.now();
            postgres = EmbeddedDatabase.startOrAttach(dataDir, port); // the pool finds the server again on the same port
            List<RawEvent> stored = TestSite.await("the retried batch", () -> shop.events(page),
                    events -> ofKind(events, "click").size() >= 3, PATIENCE_MILLIS);
            assertThat(unavailable(shop)).as("503 answers before the batch was stored").isGreaterThanOrEqualTo(1);
            browser.closeTab(); // the rest goes by beacon, possibly with a batch that is already on its way again
            TestSite.await("the collector to fall quiet", new Quiet(shop)::changed, changed -> !changed, PATIENCE_MILLIS);

            List<UUID> pageviews = shop.pageviews(page);
            assertThat(pageviews).hasSize(1);
            List<RawEvent> events = Stored.events(db, pageviews.get(0));
            assertThat(ofKind(events, "click")).extracting(RawEvent::selector, RawEvent::seq).containsExactly(
                    tuple("#buy", 0),
                    tuple("[data-testid=\"card-2\"]", 0),
                    tuple("body>main>div:nth-of-type(2)", 0));
            Map<Integer, Long> receipts = eventCounts(db, pageviews.get(0));
            assertThat(receipts.keySet()).as("seqs, none skipped or reused")
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, receipts.size()).boxed().toList());
            receipts.forEach((seq, count) -> assertThat(events.stream().filter(e -> e.seq() == seq).count())
                    .as("rows of seq %d", seq).isEqualTo(count));
            // Stored at when they happened, not when they arrived: every retry carries a fresh sentAt. (A stale one
            // would shift them by the retries' 3 s and more; the slack here is for the request's way to the server.)
            assertThat(ofKind(stored, "click")).allSatisfy(click -> assertThat(click.occurredAt())
                    .isBetween(clicking.minusMillis(100), clicked.plusMillis(1500)));
            Instant received = db.jdbi().withHandle(h -> h.createQuery(
                            "SELECT received_at FROM ingest_batch WHERE pageview_id = :p AND seq = 0")
                    .bind("p", pageviews.get(0)).mapTo(Instant.class).one());
            assertThat(received).isAfter(restarted);
        } finally {
            if (browser != null) browser.close();
            if (site != null) site.close();
            if (db != null) db.close();
            postgres.close();
        }
    }

    /** Whether the collector answered anything since the last call. */
    private static final class Quiet {
        private final TestSite site;
        private double last = -1;
        private long quietSince = System.nanoTime();

        Quiet(TestSite site) {
            this.site = site;
        }

        /** True until no request has come in for a second. */
        boolean changed() {
            double now = site.collector.counter("isotherm.collect.batches.accepted")
                    + site.collector.counter("isotherm.collect.batches.duplicate") + unavailable(site);
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
            return System.nanoTime() - quietSince < 1_000_000_000L;
        }
    }

    private static double unavailable(TestSite site) {
        return site.collector.counter("isotherm.collect.batches.rejected",
                "reason", DropReason.DATABASE_UNAVAILABLE.metricTag());
    }

    private static Map<Integer, Long> eventCounts(Database db, UUID pageview) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT seq, event_count FROM ingest_batch WHERE pageview_id = :p")
                .bind("p", pageview)
                .reduceRows(new HashMap<Integer, Long>(), (map, row) -> {
                    map.put(row.getColumn("seq", Integer.class), row.getColumn("event_count", Long.class));
                    return map;
                }));
    }
}
