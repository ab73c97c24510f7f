package io.isotherm.db.event;

import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * {@link RawEvent#MAPPER}: finds each column by name once per result set, then reads rows by position. The aggregator
 * maps millions of rows; a lookup by name for each of 21 columns of each row would cost more than the mapping.
 */
final class RawEventMapper implements RowMapper<RawEvent> {
    @Override
    public RawEvent map(ResultSet rs, StatementContext ctx) throws SQLException {
        return specialize(rs, ctx).map(rs, ctx);
    }

    @Override
    public RowMapper<RawEvent> specialize(ResultSet rs, StatementContext ctx) throws SQLException {
        int siteId = rs.findColumn("site_id");
        int pageId = rs.findColumn("page_id");
        int pageviewId = rs.findColumn("pageview_id");
        int seq = rs.findColumn("seq");
        int occurredAt = rs.findColumn("occurred_at");
        int kind = rs.findColumn("kind");
        int device = rs.findColumn("device");
        int x = rs.findColumn("x");
        int y = rs.findColumn("y");
        int documentWidth = rs.findColumn("document_width");
        int documentHeight = rs.findColumn("document_height");
        int viewportWidth = rs.findColumn("viewport_width");
        int viewportHeight = rs.findColumn("viewport_height");
        int selector = rs.findColumn("selector");
        int boxX = rs.findColumn("box_x");
        int boxY = rs.findColumn("box_y");
        int fixed = rs.findColumn("fixed");
        int interactive = rs.findColumn("interactive");
        int rage = rs.findColumn("rage");
        int dwellMs = rs.findColumn("dwell_ms");
        int depth = rs.findColumn("depth");
        return (row, c) -> new RawEvent(
                row.getInt(siteId),
                row.getLong(pageId),
                row.getObject(pageviewId, UUID.class),
                row.getInt(seq),
                row.getObject(occurredAt, OffsetDateTime.class).toInstant(),
                row.getString(kind),
                row.getString(device),
                row.getInt(x),
                row.getInt(y),
                row.getInt(documentWidth),
                row.getInt(documentHeight),
                row.getInt(viewportWidth),
                row.getInt(viewportHeight),
                row.getString(selector),
                row.getObject(boxX, Float.class),
                row.getObject(boxY, Float.class),
                row.getBoolean(fixed),
                row.getBoolean(interactive),
                row.getBoolean(rage),
                row.getObject(dwellMs, Integer.class),
                row.getObject(depth, Float.class));
    }
}
