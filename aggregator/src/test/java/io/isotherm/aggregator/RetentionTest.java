package io.isotherm.aggregator;

import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.event.RawEventPartitions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

import static io.isotherm.aggregator.EventFixture.Event.click;
import static org.assertj.core.api.Assertions.assertThat;

class RetentionTest {
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    private Database db;
    private EventFixture fixture;
    private Aggregator aggregator;

    @BeforeEach
    void setUp() {
        db = TestPostgres.open();
        fixture = new EventFixture(db, "UTC"); // partitions from 40 days ago to 2 days ahead
        aggregator = new Aggregator(db.jdbi(), AggregatorSettings.defaults()); // 30 days
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void old_partitions_go_only_once_their_events_are_aggregated_and_aggregates_stay() {
        Instant old = TODAY.minusDays(35).atTime(12, 0).toInstant(ZoneOffset.UTC);
        fixture.batch(UUID.randomUUID(), 0, old.plusSeconds(5), List.of(click(old, 724, 1000, "#buy", 0.5f, 0.5f)));

        List<String> dropped = aggregator.dropExpired();

        assertThat(dropped).contains(partition(TODAY.minusDays(40)), partition(TODAY.minusDays(31)))
                .doesNotContain(partition(TODAY.minusDays(35)), partition(TODAY.minusDays(30)));
        assertThat(partitions()).contains(partition(TODAY.minusDays(35)), partition(TODAY.minusDays(30)));

        aggregator.aggregatePending();
        assertThat(aggregator.dropExpired()).containsExactly(partition(TODAY.minusDays(35)));
        assertThat(partitions()).first().isEqualTo(partition(TODAY.minusDays(30)));
        int kept = db.jdbi().withHandle(h -> h.createQuery("SELECT sum(events) FROM heat_cell WHERE day = :day")
                .bind("day", TODAY.minusDays(35)).mapTo(Integer.class).one());
        assertThat(kept).as("aggregates outlive their raw events").isEqualTo(1);
        int receipts = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM ingest_batch").mapTo(Integer.class).one());
        assertThat(receipts).isZero();
    }

    private List<String> partitions() {
        return new RawEventPartitions(db.jdbi(), 0).names();
    }

    private static String partition(LocalDate day) {
        return "raw_event_" + day.format(DateTimeFormatter.BASIC_ISO_DATE);
    }
}
