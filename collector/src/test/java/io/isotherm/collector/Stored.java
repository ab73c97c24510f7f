package io.isotherm.collector;

import io.isotherm.db.Database;
import io.isotherm.db.event.RawEvent;

import java.util.List;
import java.util.UUID;

/** What the collector stored, as the tests read it back from PostgreSQL. */
final class Stored {
    private Stored() {
    }

    /** The stored events of one page view, in the order of their seq and time. */
    static List<RawEvent> events(Database db, UUID pageview) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT <columns> FROM raw_event WHERE pageview_id = :pageview ORDER BY seq, occurred_at, kind""")
                .define("columns", RawEvent.columnList())
                .bind("pageview", pageview)
                .map(RawEvent.MAPPER)
                .list());
    }

    /** {@code SELECT count(*) …} (or any one-number query) against the database. */
    static long count(Database db, String sql, Object... args) {
        return db.jdbi().withHandle(h -> {
            var query = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) {
                query.bind(i, args[i]);
            }
            return query.mapTo(Long.class).one();
        });
    }
}
