package io.isotherm.db.event;

import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One row of raw_event: what the collector stores and the aggregator reads (docs/COLLECT-API.md says what each field
 * means). The components are the table's columns, in the order of {@link #COLUMNS}.
 */
public record RawEvent(
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

    /** The column of each component, in component order. */
    public static final List<String> COLUMNS = List.of(
            "site_id", "page_id", "pageview_id", "seq", "occurred_at", "kind", "device", "x", "y",
            "document_width", "document_height", "viewport_width", "viewport_height",
            "selector", "box_x", "box_y", "fixed", "interactive", "rage", "dwell_ms", "depth");

    /** Reads a row by its columns' names, wherever the query puts them. */
    public static final RowMapper<RawEvent> MAPPER = new RawEventMapper();

    /** The row's values in the order of {@link #COLUMNS}, for a statement that binds them by position. */
    public Object[] values() {
        return new Object[]{siteId, pageId, pageviewId, seq, occurredAt.atOffset(ZoneOffset.UTC), kind, device, x, y,
                documentWidth, documentHeight, viewportWidth, viewportHeight, selector, boxX, boxY, fixed, interactive, rage,
                dwellMs, depth};
    }

    /** {@code site_id, page_id, …}: the column list of a COPY or INSERT. */
    public static String columnList() {
        return String.join(", ", COLUMNS);
    }

    /** {@code e.site_id, e.page_id, …}: the select list of a query that calls raw_event {@code alias}. */
    public static String columnList(String alias) {
        return COLUMNS.stream().map(column -> alias + "." + column).collect(Collectors.joining(", "));
    }
}
