package io.isotherm.db.event;

import org.jdbi.v3.core.Jdbi;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** Keeps the daily partitions of raw_event in place ahead of the events that need them. */
public final class RawEventPartitions {
    /** Events may arrive this many days late (the collector refuses older ones). */
    public static final int DAYS_BEHIND = 2;

    private final Jdbi jdbi;
    private final int daysAhead;

    public RawEventPartitions(Jdbi jdbi, int daysAhead) {
        this.jdbi = jdbi;
        this.daysAhead = daysAhead;
    }

    /** Creates any missing partition from {@value #DAYS_BEHIND} days ago to {@code daysAhead} days ahead. */
    public int ensure() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return ensure(today.minusDays(DAYS_BEHIND), DAYS_BEHIND + daysAhead + 1);
    }

    public int ensure(LocalDate firstDay, int days) {
        return jdbi.withHandle(h -> h.createQuery("SELECT ensure_raw_event_partitions(:first, :days)")
                .bind("first", firstDay)
                .bind("days", days)
                .mapTo(Integer.class)
                .one());
    }

    public List<String> names() {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT c.relname FROM pg_inherits i
                        JOIN pg_class c ON c.oid = i.inhrelid
                        WHERE i.inhparent = 'raw_event'::regclass
                        ORDER BY c.relname""")
                .mapTo(String.class)
                .list());
    }
}
