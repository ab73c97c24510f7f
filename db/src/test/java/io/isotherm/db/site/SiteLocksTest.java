package io.isotherm.db.site;

import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The guard between writers and {@code site remove}, with real concurrent transactions. */
class SiteLocksTest {
    private static Database db;
    private static SiteDao sites;

    @BeforeAll
    static void open() {
        db = TestPostgres.open();
        sites = new SiteDao(db.jdbi());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void a_removal_waits_for_a_writer_in_flight_and_then_deletes_its_rows() throws Exception {
        Site site = sites.add("Busy", List.of("https://busy.example"), List.of());
        CompletableFuture<Boolean> removal;
        try (Handle writer = db.jdbi().open()) {
            writer.begin();
            SiteLocks.share(writer, List.of(site.id()));
            writer.execute("INSERT INTO ingest_last_batch (site_id, received_at, page_url, device) VALUES (?, now(), 'https://busy.example/', 'desktop')", site.id());
            removal = CompletableFuture.supplyAsync(() -> sites.remove(site.publicKey()));
            awaitWaiter(site.id());
            assertThat(removal).isNotDone();
            writer.commit();
        }
        assertThat(removal.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(count("SELECT count(*) FROM ingest_last_batch WHERE site_id = " + site.id())).isZero();
        assertThat(count("SELECT count(*) FROM site WHERE site_id = " + site.id())).isZero();
    }

    @Test
    void a_writer_behind_a_removal_finds_the_site_gone() throws Exception {
        Site site = sites.add("Closing", List.of("https://closing.example"), List.of());
        CompletableFuture<List<Integer>> writer;
        try (Handle remover = db.jdbi().open()) {
            remover.begin();
            SiteLocks.exclusive(remover, site.id());
            remover.execute("DELETE FROM site WHERE site_id = ?", site.id());
            // A writer takes the lock, then asks which of its sites exist: what it sees is read after the wait.
            writer = CompletableFuture.supplyAsync(() -> db.jdbi().inTransaction(h -> {
                SiteLocks.share(h, List.of(site.id()));
                return h.createQuery("SELECT site_id FROM site WHERE site_id = :id").bind("id", site.id()).mapTo(Integer.class).list();
            }));
            awaitWaiter(site.id());
            assertThat(writer).isNotDone();
            remover.commit();
        }
        assertThat(writer.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void writers_share_a_site_without_waiting_on_each_other() {
        Site site = sites.add("Shared", List.of("https://shared.example"), List.of());
        try (Handle a = db.jdbi().open(); Handle b = db.jdbi().open()) {
            a.begin();
            b.begin();
            SiteLocks.share(a, List.of(site.id()));
            SiteLocks.share(b, List.of(site.id(), site.id())); // would hang here if shared locks conflicted
            assertThat(count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND granted AND objid = "
                    + site.id())).isEqualTo(2);
            a.rollback();
            b.rollback();
        }
    }

    /** Waits until some transaction waits for this site's lock (a liveness bound, not a speed check). */
    private static void awaitWaiter(int siteId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND NOT granted AND objid = " + siteId;
        while (count(waiting) == 0) {
            assertThat(System.nanoTime()).as("a transaction waiting for site %d's lock", siteId).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static long count(String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
