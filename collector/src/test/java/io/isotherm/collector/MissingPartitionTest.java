package io.isotherm.collector;

import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A day without a partition is created and the write retried, whether PostgreSQL or Citus reports it. */
class MissingPartitionTest {
    @Test
    void recognises_postgresql_and_citus_reports_and_nothing_else() {
        assertThat(MissingPartition.is(new SQLException("no partition of relation \"raw_event\" found for row", "23514"))).isTrue();
        assertThat(MissingPartition.is(new SQLException("no partition of relation \"raw_event_102008\" found for row", "XX000"))).isTrue();
        assertThat(MissingPartition.is(new SQLException("could not connect to worker", "XX000"))).isFalse();
        assertThat(MissingPartition.is(new SQLException("duplicate key value", "23505"))).isFalse();
        assertThat(MissingPartition.isCause(new IllegalStateException(
                new SQLException("no partition of relation \"raw_event_102008\" found for row", "XX000")))).isTrue();
        assertThat(MissingPartition.isCause(new IllegalStateException("no SQL here"))).isFalse();
    }

    @Test
    void a_batch_for_a_day_whose_partition_was_dropped_is_stored_after_the_partition_is_made() {
        Database db = TestPostgres.open();
        Site site = new SiteDao(db.jdbi()).add("Shop", List.of("https://shop.example"), List.of());
        try (CollectorServer server = CollectorServer.start(db)) {
            String today = "raw_event_" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
            db.jdbi().useHandle(h -> h.execute("DROP TABLE " + today));
            UUID pageview = UUID.randomUUID();
            var response = server.post(Batches.simple(site.publicKey(), pageview, 0, 3));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(Stored.events(db, pageview)).hasSize(3);
        } finally {
            db.close();
        }
    }
}
