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
        int kept = db.jdbi().withHandle(h -> h.createQuery("SELECT sum(events) FROM heat_cell_by_day WHERE day = :day")
                .bind("day", TODAY.minusDays(35)).mapTo(Integer.class).one());
        assertThat(kept).as("aggregates outlive their raw events").isEqualTo(1);
        int receipts = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM ingest_batch").mapTo(Integer.class).one());
        assertThat(receipts).isZero();
        // The page view's row is an aggregate too (the reports count page views by it): kept, with its click.
        int pageviewClicks = db.jdbi().withHandle(h -> h.createQuery("SELECT sum(clicks) FROM pageview_summary").mapTo(Integer.class).one());
        assertThat(pageviewClicks).isEqualTo(1);
    }

    @Test
    void a_site_with_a_shorter_retention_loses_its_aggregated_events_past_its_window_while_other_sites_keep_theirs() {
        EventFixture other = new EventFixture(db, "UTC"); // the platform's 30 days
        retention(fixture, 7);
        Instant tenDaysAgo = noon(10), fiveDaysAgo = noon(5);
        fixture.batch(UUID.randomUUID(), 0, tenDaysAgo.plusSeconds(5), List.of(click(tenDaysAgo, 724, 1000, "#buy", 0.5f, 0.5f)));
        fixture.batch(UUID.randomUUID(), 0, fiveDaysAgo.plusSeconds(5), List.of(click(fiveDaysAgo, 724, 1000, "#buy", 0.5f, 0.5f)));
        other.batch(UUID.randomUUID(), 0, tenDaysAgo.plusSeconds(5), List.of(click(tenDaysAgo, 724, 1000, "#buy", 0.5f, 0.5f)));
        aggregator.aggregatePending();

        List<String> dropped = aggregator.dropExpired();

        assertThat(dropped).as("the day is within the other site's window").doesNotContain(partition(TODAY.minusDays(10)));
        assertThat(eventDays(fixture)).as("the short-retention site's events").containsExactly(TODAY.minusDays(5));
        assertThat(eventDays(other)).as("the other site's events").containsExactly(TODAY.minusDays(10));
        assertThat(receiptDays(fixture)).as("receipts go with their events").containsExactly(TODAY.minusDays(5));
        assertThat(receiptDays(other)).containsExactly(TODAY.minusDays(10));
        assertThat(clicksOn(fixture, TODAY.minusDays(10))).as("aggregates outlive their raw events").isEqualTo(1);
    }

    @Test
    void events_past_a_site_window_survive_until_their_batch_is_aggregated() {
        retention(fixture, 7);
        Instant tenDaysAgo = noon(10);
        UUID counted = UUID.randomUUID(), late = UUID.randomUUID();
        fixture.batch(counted, 0, tenDaysAgo.plusSeconds(5), List.of(click(tenDaysAgo, 724, 1000, "#buy", 0.5f, 0.5f)));
        aggregator.aggregatePending();
        // Stored after that pass: not aggregated yet, whatever its age.
        fixture.batch(late, 0, tenDaysAgo.plusSeconds(6), List.of(click(tenDaysAgo.plusSeconds(1), 724, 1000, "#buy", 0.5f, 0.5f),
                click(tenDaysAgo.plusSeconds(2), 724, 1000, "#buy", 0.5f, 0.5f)));

        aggregator.dropExpired();

        assertThat(eventPageviews(fixture)).as("only the pending batch's events are left").containsExactly(late, late);
        assertThat(fixture.pendingBatches()).isEqualTo(1);

        aggregator.aggregatePending();
        aggregator.dropExpired();

        assertThat(eventPageviews(fixture)).isEmpty();
        assertThat(receiptDays(fixture)).isEmpty();
        assertThat(clicksOn(fixture, TODAY.minusDays(10))).isEqualTo(3);
    }

    @Test
    void a_site_with_a_longer_retention_keeps_the_partitions_of_its_window_and_the_others_lose_their_rows_in_them() {
        EventFixture longer = new EventFixture(db, "UTC");
        retention(longer, 37);
        Instant old = noon(35);
        fixture.batch(UUID.randomUUID(), 0, old.plusSeconds(5), List.of(click(old, 724, 1000, "#buy", 0.5f, 0.5f)));
        longer.batch(UUID.randomUUID(), 0, old.plusSeconds(5), List.of(click(old, 724, 1000, "#buy", 0.5f, 0.5f)));
        aggregator.aggregatePending();

        List<String> dropped = aggregator.dropExpired();

        // Partitions go only past the longest window: 37 days.
        assertThat(dropped).containsExactly(partition(TODAY.minusDays(40)), partition(TODAY.minusDays(39)), partition(TODAY.minusDays(38)));
        assertThat(partitions()).first().isEqualTo(partition(TODAY.minusDays(37)));
        assertThat(eventDays(longer)).containsExactly(TODAY.minusDays(35));
        assertThat(receiptDays(longer)).containsExactly(TODAY.minusDays(35));
        // The platform's 30 days still hold for the other site, in the partitions the longer window keeps.
        assertThat(eventDays(fixture)).isEmpty();
        assertThat(receiptDays(fixture)).isEmpty();
        assertThat(clicksOn(fixture, TODAY.minusDays(35))).isEqualTo(1);
    }

    private void retention(EventFixture site, int days) {
        db.jdbi().useHandle(h -> h.execute("UPDATE site SET retention_days = ? WHERE site_id = ?", days, site.siteId));
    }

    /** The UTC day of each of the site's raw events, oldest first. */
    private List<LocalDate> eventDays(EventFixture site) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT (occurred_at AT TIME ZONE 'UTC')::date FROM raw_event WHERE site_id = :site ORDER BY occurred_at""")
                .bind("site", site.siteId).mapTo(LocalDate.class).list());
    }

    private List<UUID> eventPageviews(EventFixture site) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT pageview_id FROM raw_event WHERE site_id = :site ORDER BY occurred_at")
                .bind("site", site.siteId).mapTo(UUID.class).list());
    }

    private List<LocalDate> receiptDays(EventFixture site) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT (received_at AT TIME ZONE 'UTC')::date FROM ingest_batch WHERE site_id = :site ORDER BY received_at""")
                .bind("site", site.siteId).mapTo(LocalDate.class).list());
    }

    private int clicksOn(EventFixture site, LocalDate day) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT coalesce(sum(events), 0) FROM heat_cell_by_day WHERE site_id = :site AND day = :day AND kind = 'click'""")
                .bind("site", site.siteId).bind("day", day).mapTo(Integer.class).one());
    }

    private static Instant noon(int daysAgo) {
        return TODAY.minusDays(daysAgo).atTime(12, 0).toInstant(ZoneOffset.UTC);
    }

    private List<String> partitions() {
        return new RawEventPartitions(db.jdbi(), 0).names();
    }

    private static String partition(LocalDate day) {
        return "raw_event_" + day.format(DateTimeFormatter.BASIC_ISO_DATE);
    }
}
