package io.isotherm.grid;

import io.isotherm.grid.DayBlocks.Term;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the count rows of one page, device class and kind (heat_tile, click_target; V20) for a range of days: every
 * page view's counts from a few prefix rows ({@link DayBlocks#terms}), each with its sign, or some segments' from their
 * days; and in both cases the parts of the range's days that the refresh has not added yet. The caller adds them up.
 */
public final class GridRows {
    /** A cell's index in packed counts: {@code cy · CELL_ROW + cx}. */
    public static final int CELL_ROW = 16_384;
    /** Cell rows per heat_tile band. */
    public static final int BAND_ROWS = 64;
    /**
     * The band of a segment's heat_tile rows that hold all the page's cells. Every page view's rows are split in bands
     * so that prefix rows stay small; a segment's are rows of single days that a reader adds up whole, and splitting
     * them only multiplied their rows (rows written before this change keep their bands; readers add both alike).
     */
    public static final int EVERY_BAND = -1;

    /**
     * Which counts: a page on a device class, clicks or moves, of every segment (0, prefix rows) or of one segment (one
     * row per day, V18).
     */
    public record Key(int siteId, long pageId, String device, String kind, int segment) {
        /** Every segment's counts together. */
        public Key(int siteId, long pageId, String device, String kind) {
            this(siteId, pageId, device, kind, 0);
        }
    }

    public interface TileSink {
        /** @param sign 1 to add the counts, -1 to take them away (the part of a prefix before the range) */
        void accept(int sign, int band, int cellSize, byte[] cells);
    }

    public interface TargetSink {
        /**
         * @param sign       1 to add the counts, -1 to take them away
         * @param moments    where in their bins the anchors' clicks landed ({@link InBox}); empty for rows written before V15
         * @param fixedCells the cells of the fixed clicks alone, a subset of cells; null for rows written before V16
         */
        void accept(int sign, String selector, int cellSize, byte[] cells, int anchorBins, byte[] anchors, byte[] moments, byte[] fixedCells);
    }

    private GridRows() {
    }

    /** The moves or clicks on no target of the days, of every page view ({@code segments} null) or of those segments. */
    public static void tiles(Handle h, Key key, LocalDate from, LocalDate to, int[] segments, TileSink sink) {
        String rows = segments == null ? """
                WITH q AS (SELECT * FROM unnest(:firsts::date[], :spans::int[], :steps::int[], :signs::int[]) AS q(first_day, span, step, sign)),
                -- Per term and band, the longest row of its chain not past its span; spans from the chain's step, so that
                -- an epoch's term skips the rows of the block that starts with it.
                chosen AS (
                    SELECT q.sign, r.* FROM q CROSS JOIN LATERAL (
                        SELECT DISTINCT ON (t.band, t.cell_size) t.first_day, t.span, t.band, t.part FROM heat_tile t
                        WHERE t.site_id = :site AND t.page_id = :page AND t.device = :device::device_class AND t.kind = :kind::event_kind
                          AND t.segment_id = 0 AND t.first_day = q.first_day AND t.span BETWEEN q.step AND q.span AND t.span % q.step = 0
                        ORDER BY t.band, t.cell_size, t.span DESC) r)
                SELECT c.sign, t.band, t.cell_size, t.cells FROM chosen c JOIN heat_tile t
                    ON t.site_id = :site AND t.page_id = :page AND t.device = :device::device_class AND t.kind = :kind::event_kind
                   AND t.segment_id = 0 AND t.first_day = c.first_day AND t.span = c.span AND t.band = c.band AND t.part = c.part
                UNION ALL
                """ : """
                SELECT 1, band, cell_size, cells FROM heat_tile
                WHERE site_id = :site AND page_id = :page AND device = :device::device_class AND kind = :kind::event_kind
                  AND segment_id = ANY(:segments) AND span = 1 AND first_day BETWEEN :from AND :to
                UNION ALL
                """;
        ofRange(h, rows + """
                SELECT 1, band, cell_size, cells FROM heat_tile
                WHERE site_id = :site AND page_id = :page AND device = :device::device_class AND kind = :kind::event_kind
                  AND segment_id = ANY(:segments) AND span = 0 AND first_day BETWEEN :from AND :to""", key, from, to, segments)
                .bind("kind", key.kind())
                .map((rs, ctx) -> {
                    sink.accept(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getBytes(4));
                    return null;
                })
                .forEach(ignored -> { });
    }

    /** The clicks on targets of the days, of every page view ({@code segments} null) or of those segments. */
    public static void targets(Handle h, Key key, LocalDate from, LocalDate to, int[] segments, TargetSink sink) {
        if (segments != null) {
            SegmentClickRows.targets(h, key, from, to, segments, sink); // a row per segment and day (V21)
            return;
        }
        ofRange(h, """
                WITH q AS (SELECT * FROM unnest(:firsts::date[], :spans::int[], :steps::int[], :signs::int[]) AS q(first_day, span, step, sign)),
                chosen AS (
                    SELECT q.sign, r.* FROM q CROSS JOIN LATERAL (
                        SELECT DISTINCT ON (t.selector) t.first_day, t.span, t.selector FROM click_target t
                        WHERE t.site_id = :site AND t.page_id = :page AND t.device = :device::device_class AND t.segment_id = 0
                          AND t.first_day = q.first_day AND t.span BETWEEN q.step AND q.span AND t.span % q.step = 0
                        ORDER BY t.selector, t.span DESC) r)
                SELECT c.sign, COLUMNS FROM chosen c JOIN click_target t
                    ON t.site_id = :site AND t.page_id = :page AND t.device = :device::device_class AND t.segment_id = 0
                   AND t.first_day = c.first_day AND t.span = c.span AND t.selector = c.selector
                UNION ALL
                SELECT 1, COLUMNS FROM click_target t
                WHERE t.site_id = :site AND t.page_id = :page AND t.device = :device::device_class
                  AND t.segment_id = ANY(:segments) AND t.span = 0 AND t.first_day BETWEEN :from AND :to"""
                        .replace("COLUMNS", "t.selector, t.cell_size, t.cells, t.anchor_bins, t.anchors, t.anchor_moments, t.fixed_cells"),
                key, from, to, null)
                .map((rs, ctx) -> {
                    sink.accept(rs.getInt(1), rs.getString(2), rs.getInt(3), rs.getBytes(4), rs.getInt(5), rs.getBytes(6), rs.getBytes(7),
                            rs.getBytes(8));
                    return null;
                })
                .forEach(ignored -> { });
    }

    /**
     * A query over a page and device's rows of a range: binds the range's terms as {@code :firsts}, {@code :spans},
     * {@code :steps} and {@code :signs} (for every page view's rows), the segments as {@code :segments} (0 for every
     * page view's parts), and the range as {@code :from} and {@code :to}.
     */
    private static Query ofRange(Handle h, String sql, Key key, LocalDate from, LocalDate to, int[] segments) {
        Query query = h.createQuery(sql)
                .bindArray("segments", Integer.class, Arrays.stream(segments == null ? new int[] {0} : segments).boxed().toList())
                .bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device())
                .bind("from", from).bind("to", to)
                .setFetchSize(1000);
        if (segments != null) return query;
        List<Term> terms = DayBlocks.terms(from, to);
        return query.bindArray("firsts", String.class, terms.stream().map(t -> t.first().toString()).toList())
                .bindArray("spans", Integer.class, terms.stream().map(Term::span).toList())
                .bindArray("steps", Integer.class, terms.stream().map(Term::step).toList())
                .bindArray("signs", Integer.class, terms.stream().map(Term::sign).toList());
    }
}
