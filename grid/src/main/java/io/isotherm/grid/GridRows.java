package io.isotherm.grid;

import io.isotherm.grid.DayBlocks.Block;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the count rows of one page, device class and kind (V12: heat_tile, click_target, heat_block_dirty) for a
 * list of day blocks. Every part of every block is passed on; the caller adds them up.
 */
public final class GridRows {
    /** A cell's index in packed counts: {@code cy · CELL_ROW + cx}. */
    public static final int CELL_ROW = 16_384;
    /** Cell rows per heat_tile band. */
    public static final int BAND_ROWS = 64;

    /**
     * Which counts: a page on a device class, clicks or moves, of every segment (0, with blocks of days) or of one
     * segment (single days only, V18).
     */
    public record Key(int siteId, long pageId, String device, String kind, int segment) {
        /** Every segment's counts together. */
        public Key(int siteId, long pageId, String device, String kind) {
            this(siteId, pageId, device, kind, 0);
        }
    }

    public interface TileSink {
        void accept(int band, long part, int cellSize, byte[] cells);
    }

    public interface TargetSink {
        /**
         * @param moments    where in their bins the anchors' clicks landed ({@link InBox}); empty for rows written before V15
         * @param fixedCells the cells of the fixed clicks alone, a subset of cells; null for rows written before V16
         */
        void accept(String selector, long part, int cellSize, byte[] cells, int anchorBins, byte[] anchors, byte[] moments, byte[] fixedCells);
    }

    private GridRows() {
    }

    /** The blocks above a single day whose rows are not current (marked for the refresh): a reader must not use them. */
    public static Set<Block> stale(Handle h, Key key) {
        Set<Block> stale = new HashSet<>();
        h.createQuery("""
                        SELECT span, first_day FROM heat_block_dirty
                        WHERE site_id = :site AND page_id = :page AND device = :device::device_class AND kind = :kind::event_kind
                          AND span > 1 AND segment_id = :segment""")
                .bind("segment", key.segment())
                .bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device()).bind("kind", key.kind())
                .map((rs, ctx) -> new Block(rs.getInt(1), rs.getObject(2, LocalDate.class)))
                .forEach(stale::add);
        return stale;
    }

    /** The fewest current blocks that hold exactly the days from {@code from} to {@code to}. */
    public static List<Block> cover(Handle h, Key key, LocalDate from, LocalDate to) {
        Set<Block> stale = stale(h, key);
        return DayBlocks.cover(from, to, Integer.MAX_VALUE, stale::contains);
    }

    public static void tiles(Handle h, Key key, List<Block> blocks, TileSink sink) {
        tiles(h, key, blocks, new int[] {key.segment()}, sink);
    }

    /** The rows of several segments (the key's segment aside): single days only but for segment 0. */
    public static void tiles(Handle h, Key key, List<Block> blocks, int[] segments, TileSink sink) {
        if (blocks.isEmpty() || segments.length == 0) return;
        ofBlocks(h, """
                SELECT t.band, t.part, t.cell_size, t.cells FROM heat_tile t
                JOIN unnest(:spans, :firsts::date[]) AS b(span, first_day) ON t.span = b.span AND t.first_day = b.first_day
                WHERE t.site_id = :site AND t.page_id = :page AND t.device = :device::device_class AND t.kind = :kind::event_kind
                  AND t.segment_id = ANY(:segments)""", key, blocks, segments)
                .bind("kind", key.kind())
                .map((rs, ctx) -> {
                    sink.accept(rs.getInt(1), rs.getLong(2), rs.getInt(3), rs.getBytes(4));
                    return null;
                })
                .forEach(ignored -> { });
    }

    /** The click targets' rows of the blocks (clicks only). */
    public static void targets(Handle h, Key key, List<Block> blocks, TargetSink sink) {
        targets(h, key, blocks, new int[] {key.segment()}, sink);
    }

    /** The click targets' rows of several segments (the key's segment aside). */
    public static void targets(Handle h, Key key, List<Block> blocks, int[] segments, TargetSink sink) {
        if (blocks.isEmpty() || segments.length == 0) return;
        ofBlocks(h, """
                SELECT t.selector, t.part, t.cell_size, t.cells, t.anchor_bins, t.anchors, t.anchor_moments, t.fixed_cells FROM click_target t
                JOIN unnest(:spans, :firsts::date[]) AS b(span, first_day) ON t.span = b.span AND t.first_day = b.first_day
                WHERE t.site_id = :site AND t.page_id = :page AND t.device = :device::device_class
                  AND t.segment_id = ANY(:segments)""", key, blocks, segments)
                .map((rs, ctx) -> {
                    sink.accept(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getBytes(4), rs.getInt(5), rs.getBytes(6), rs.getBytes(7), rs.getBytes(8));
                    return null;
                })
                .forEach(ignored -> { });
    }

    /**
     * A query over a page and device's rows of the blocks: binds them, the blocks as {@code :spans} and {@code :firsts},
     * the segments as {@code :segments}.
     */
    private static Query ofBlocks(Handle h, String sql, Key key, List<Block> blocks, int[] segments) {
        return h.createQuery(sql)
                .bindArray("segments", Integer.class, java.util.Arrays.stream(segments).boxed().toList())
                .bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device())
                .bindArray("spans", Short.class, blocks.stream().map(b -> (short) b.span()).toList())
                .bindArray("firsts", String.class, blocks.stream().map(b -> b.first().toString()).toList())
                .setFetchSize(1000);
    }
}
