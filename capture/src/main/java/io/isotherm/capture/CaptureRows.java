package io.isotherm.capture;

import io.isotherm.capture.Capture.TileRef;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/** How captures and their element boxes are read from their tables, once for every query that reads them. */
final class CaptureRows {
    /** The columns of {@link #CAPTURE}, for {@code SELECT … FROM capture c}. */
    static final String CAPTURE_COLUMNS = """
            c.capture_id, c.page_id, c.device::text AS device, c.source, c.requested_by, c.status::text AS status, c.flag,
            c.accepted, c.http_status, c.url, c.final_url, c.title, c.message, c.requested_at, c.started_at, c.captured_at,
            c.width, c.height, c.truncated, c.element_count,
            (SELECT array_agg(t.y ORDER BY t.tile) FROM capture_tile t
             WHERE t.site_id = c.site_id AND t.capture_id = c.capture_id) AS tile_y,
            (SELECT array_agg(t.height ORDER BY t.tile) FROM capture_tile t
             WHERE t.site_id = c.site_id AND t.capture_id = c.capture_id) AS tile_height,
            c.capture_id = (SELECT u.capture_id FROM capture u
                            WHERE u.site_id = c.site_id AND u.page_id = c.page_id AND u.device = c.device
                              AND (u.status = 'ok' OR (u.status = 'flagged' AND u.accepted))
                            ORDER BY u.captured_at DESC, u.capture_id DESC LIMIT 1) AS current""";

    static final RowMapper<Capture> CAPTURE = (rs, ctx) -> {
        List<TileRef> tiles = tiles(rs.getArray("tile_y"), rs.getArray("tile_height"));
        return new Capture(rs.getLong("capture_id"), rs.getLong("page_id"), rs.getString("device"), rs.getString("source"),
                rs.getString("requested_by"), rs.getString("status"), rs.getString("flag"), rs.getBoolean("accepted"),
                (Integer) rs.getObject("http_status"), rs.getString("url"), rs.getString("final_url"), rs.getString("title"),
                rs.getString("message"),
                instant(rs.getTimestamp("requested_at")), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("captured_at")), (Integer) rs.getObject("width"), (Integer) rs.getObject("height"),
                rs.getBoolean("truncated"), rs.getInt("element_count"), rs.getBoolean("current"), tiles);
    };

    static final RowMapper<ElementBox> ELEMENT_BOX = (rs, ctx) ->
            new ElementBox(rs.getString("selector"), rs.getInt("x"), rs.getInt("y"), rs.getInt("width"), rs.getInt("height"),
                    rs.getString("label"));

    private CaptureRows() {
    }

    private static List<TileRef> tiles(Array ys, Array heights) throws SQLException {
        if (ys == null) return List.of();
        Integer[] y = (Integer[]) ys.getArray(), height = (Integer[]) heights.getArray();
        TileRef[] tiles = new TileRef[y.length];
        for (int i = 0; i < y.length; i++) tiles[i] = new TileRef(i, y[i], height[i]);
        return List.of(tiles);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
