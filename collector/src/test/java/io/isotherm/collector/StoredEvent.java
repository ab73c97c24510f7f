package io.isotherm.collector;

import io.isotherm.db.Database;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** One raw_event row, every column, as the tests read it back from PostgreSQL. */
record StoredEvent(
        int siteId,
        long pageId,
        UUID pageviewId,
        int seq,
        Instant occurredAt,
        String kind,
        String device,
        int x,
        int y,
        int documentWidth,
        int documentHeight,
        int viewportWidth,
        int viewportHeight,
        String selector,
        Float boxX,
        Float boxY,
        boolean fixed,
        boolean interactive,
        boolean rage,
        Integer dwellMs,
        Float depth) {

    private static final RowMapper<StoredEvent> MAPPER = (rs, ctx) -> new StoredEvent(
            rs.getInt("site_id"),
            rs.getLong("page_id"),
            rs.getObject("pageview_id", UUID.class),
            rs.getInt("seq"),
            rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
            rs.getString("kind"),
            rs.getString("device"),
            rs.getInt("x"),
            rs.getInt("y"),
            rs.getInt("document_width"),
            rs.getInt("document_height"),
            rs.getInt("viewport_width"),
            rs.getInt("viewport_height"),
            rs.getString("selector"),
            rs.getObject("box_x", Float.class),
            rs.getObject("box_y", Float.class),
            rs.getBoolean("fixed"),
            rs.getBoolean("interactive"),
            rs.getBoolean("rage"),
            rs.getObject("dwell_ms", Integer.class),
            rs.getObject("depth", Float.class));

    /** The stored events of one page view, in the order of their seq and time. */
    static List<StoredEvent> of(Database db, UUID pageview) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT site_id, page_id, pageview_id, seq, occurred_at, kind::text AS kind, device::text AS device,
                               x, y, document_width, document_height, viewport_width, viewport_height,
                               selector, box_x, box_y, fixed, interactive, rage, dwell_ms, depth
                        FROM raw_event WHERE pageview_id = :pageview ORDER BY seq, occurred_at, kind""")
                .bind("pageview", pageview)
                .map(MAPPER)
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
