package io.isotherm.collector;

import io.isotherm.db.Database;
import io.isotherm.db.EmbeddedDatabase;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL stops while a collector holds outcome counts: the flush fails and keeps them, the refusals of the
 * outage are counted too, and once PostgreSQL is back everything is written exactly once.
 */
class IngestOutcomeOutageTest {
    @TempDir
    Path dataDir;

    @Test
    void keeps_the_counts_through_an_outage_and_writes_them_once_it_is_over() {
        EmbeddedDatabase postgres = EmbeddedDatabase.startOrAttach(dataDir);
        int port = postgres.port();
        Database db = null;
        CollectorServer server = null;
        try {
            db = Database.open(postgres.settings(10), null);
            Site site = new SiteDao(db.jdbi()).add("Shop", List.of(CollectorServer.ORIGIN), List.of());
            // Flushed only when the test says so.
            server = CollectorServer.start(db, CollectorSettings.defaults().withOutcomeFlushInterval(Duration.ofHours(1)));
            String repeated = Batches.json(Batches.simple(site.publicKey(), UUID.randomUUID(), 0, 2));
            assertThat(server.post(repeated).statusCode()).isEqualTo(202);
            assertThat(server.post(Batches.simple(site.publicKey(), UUID.randomUUID(), 0, 1)).statusCode()).isEqualTo(202);
            assertThat(server.post(repeated).statusCode()).isEqualTo(202);

            postgres.close(); // stops PostgreSQL
            // The site and page are cached: this batch gets as far as the writer, whose commit fails.
            assertThat(server.post(Batches.simple(site.publicKey(), UUID.randomUUID(), 0, 1)).statusCode()).isEqualTo(503);
            assertThat(server.flushOutcomes()).isFalse();
            assertThat(server.flushOutcomes()).isFalse();

            postgres = EmbeddedDatabase.startOrAttach(dataDir, port); // the pool only finds it again on the same port
            assertThat(postgres.port()).isEqualTo(port);
            CollectorServer collector = server;
            TestSite.await("a flush that succeeds", collector::flushOutcomes, ok -> ok);
            assertThat(server.flushOutcomes()).isTrue();

            assertThat(OutcomeCounts.of(db, site.id())).isEqualTo(Map.of("stored", 2L, "duplicate", 1L, "database_unavailable", 1L));
            assertThat(OutcomeCounts.lastBatch(db, site.id())).isEqualTo("https://shop.example/ desktop");
        } finally {
            if (server != null) server.close();
            if (db != null) db.close();
            postgres.close();
        }
    }
}
