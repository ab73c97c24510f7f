package io.isotherm.grid;

import io.isotherm.grid.BlockRefresh.TargetSum;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A segment's clicks on targets (V21): one row per segment, page, device class and day (and cell size and bins)
 * holding every clicked element of it as parallel arrays. Reads them for a range, and refreshes a day: its parts and
 * its row become one row, each selector once.
 */
final class SegmentClickRows {
    private static final String COLUMNS = "cell_size, anchor_bins, selectors, clicks, rage, dead, cells, anchors, anchor_moments, fixed_cells";

    /** Bytes and counts of one row, its entries in the order of its arrays. */
    private record Row(int cellSize, int bins, String[] selectors, int[] clicks, int[] rage, int[] dead,
                       byte[][] cells, byte[][] anchors, byte[][] moments, byte[][] fixedCells) {
        /** The row's columns from {@link #COLUMNS}, starting at {@code at}. */
        static Row of(ResultSet rs, int at) throws SQLException {
            return new Row(rs.getInt(at), rs.getInt(at + 1), (String[]) array(rs.getArray(at + 2)), ints(rs.getArray(at + 3)),
                    ints(rs.getArray(at + 4)), ints(rs.getArray(at + 5)), (byte[][]) array(rs.getArray(at + 6)),
                    (byte[][]) array(rs.getArray(at + 7)), (byte[][]) array(rs.getArray(at + 8)), (byte[][]) array(rs.getArray(at + 9)));
        }

        boolean selectorsUnique() {
            return new HashSet<>(Arrays.asList(selectors)).size() == selectors.length;
        }
    }

    /** A selector's counts summed over rows. */
    private static final class Element {
        TargetSum sum;
        int clicks, rage, dead;
    }

    private SegmentClickRows() {
    }

    /** Every entry of the segments' rows and parts of the days, each with sign 1. */
    static void targets(Handle h, GridRows.Key key, LocalDate from, LocalDate to, int[] segments, GridRows.TargetSink sink) {
        h.createQuery("SELECT " + COLUMNS + """
                         FROM segment_click_day
                        WHERE site_id = :site AND page_id = :page AND device = :device::device_class AND segment_id = ANY(:segments)
                          AND day BETWEEN :from AND :to AND span IN (0, 1)""")
                .bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device())
                .bindArray("segments", Integer.class, Arrays.stream(segments).boxed().toList())
                .bind("from", from).bind("to", to)
                .setFetchSize(1000)
                .map((rs, ctx) -> Row.of(rs, 1))
                .forEach(r -> {
                    for (int i = 0; i < r.selectors.length; i++) {
                        // An element's counts converted from element_day alone (V21) have no cells to draw.
                        if (r.cells[i].length == 0 && r.anchors[i].length == 0) continue;
                        sink.accept(1, r.selectors[i], r.cellSize, r.cells[i], r.bins, r.anchors[i], r.moments[i], r.fixedCells[i]);
                    }
                });
    }

    /**
     * Makes one row of each of the days (per cell size and bins) from its parts and its row: a lone part becomes the
     * row in place; otherwise the rows read are replaced by their sum. Rows added meanwhile are not read, so they stay
     * for the next refresh (their day is marked again).
     */
    static void refresh(Handle h, GridRows.Key key, List<LocalDate> days) {
        record Family(LocalDate day, int cellSize, int bins) {}
        record Read(long part, int span, Row row) {}
        Map<Family, List<Read>> families = new LinkedHashMap<>();
        h.createQuery("SELECT day, part, span, " + COLUMNS + """
                         FROM segment_click_day
                        WHERE site_id = :site AND page_id = :page AND device = :device::device_class AND segment_id = :segment
                          AND day = ANY(:days) AND span IN (0, 1)
                        ORDER BY day, span DESC, part""")
                .bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device()).bind("segment", key.segment())
                .bindArray("days", LocalDate.class, days)
                .map((rs, ctx) -> {
                    Row row = Row.of(rs, 4);
                    families.computeIfAbsent(new Family(rs.getObject(1, LocalDate.class), row.cellSize, row.bins), f -> new ArrayList<>())
                            .add(new Read(rs.getLong(2), rs.getInt(3), row));
                    return null;
                })
                .forEach(ignored -> { });

        PreparedBatch promotions = h.prepareBatch("""
                UPDATE segment_click_day SET span = 1
                WHERE site_id = :site AND page_id = :page AND device = :device::device_class AND segment_id = :segment AND day = :day
                  AND span = 0 AND part = :part""");
        PreparedBatch inserts = h.prepareBatch("""
                INSERT INTO segment_click_day (site_id, page_id, device, segment_id, day, span, cell_size, anchor_bins, selectors, clicks,
                    rage, dead, cells, anchors, anchor_moments, fixed_cells)
                VALUES (:site, :page, :device::device_class, :segment, :day, 1, :cellSize, :bins, :selectors, :clicks, :rage, :dead,
                    :cells, :anchors, :moments, :fixed)""");
        List<Long> replaced = new ArrayList<>();
        families.forEach((family, rows) -> {
            Read first = rows.get(0);
            if (rows.size() == 1 && first.span() == 0 && first.row().selectorsUnique()) {
                bind(promotions, key, family.day()).bind("part", first.part()).add();
                return;
            }
            if (rows.size() == 1 && first.span() == 1) return; // nothing new
            Map<String, Element> elements = new TreeMap<>();
            for (Read read : rows) {
                Row r = read.row();
                for (int i = 0; i < r.selectors.length; i++) {
                    Element e = elements.computeIfAbsent(r.selectors[i], s -> new Element());
                    TargetSum entry = TargetSum.ofRow(r.cellSize, r.cells[i], r.bins, r.anchors[i], r.moments[i], r.fixedCells[i]);
                    e.sum = e.sum == null ? entry : TargetSum.plus(e.sum, entry);
                    e.clicks += r.clicks[i];
                    e.rage += r.rage[i];
                    e.dead += r.dead[i];
                }
                replaced.add(read.part());
            }
            int n = elements.size();
            String[] selectors = new String[n];
            Integer[] clicks = new Integer[n], rage = new Integer[n], dead = new Integer[n];
            byte[][] cells = new byte[n][], anchors = new byte[n][], moments = new byte[n][], fixed = new byte[n][];
            int i = 0;
            for (var e : elements.entrySet()) {
                int at = i++;
                selectors[at] = e.getKey();
                clicks[at] = e.getValue().clicks;
                rage[at] = e.getValue().rage;
                dead[at] = e.getValue().dead;
                // One cell size and one bins in a family: the sum is one row's worth.
                e.getValue().sum.merged((cellSize, c, bins, a, m, f) -> {
                    cells[at] = c;
                    anchors[at] = a;
                    moments[at] = m;
                    fixed[at] = f;
                });
            }
            bind(inserts, key, family.day()).bind("cellSize", (short) family.cellSize()).bind("bins", (short) family.bins())
                    .bind("selectors", sqlArray("text", selectors)).bind("clicks", sqlArray("int4", clicks))
                    .bind("rage", sqlArray("int4", rage)).bind("dead", sqlArray("int4", dead))
                    .bind("cells", sqlArray("bytea", cells)).bind("anchors", sqlArray("bytea", anchors))
                    .bind("moments", sqlArray("bytea", moments)).bind("fixed", sqlArray("bytea", fixed))
                    .add();
        });
        if (promotions.size() > 0) promotions.execute();
        if (!replaced.isEmpty()) h.createUpdate("""
                        DELETE FROM segment_click_day
                        WHERE site_id = :site AND page_id = :page AND device = :device::device_class AND segment_id = :segment
                          AND day = ANY(:days) AND part = ANY(:parts)""")
                .bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device()).bind("segment", key.segment())
                .bindArray("days", LocalDate.class, days).bindArray("parts", Long.class, replaced)
                .execute();
        if (inserts.size() > 0) inserts.execute();
    }

    private static PreparedBatch bind(PreparedBatch batch, GridRows.Key key, LocalDate day) {
        return batch.bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device())
                .bind("segment", key.segment()).bind("day", day);
    }

    private static Argument sqlArray(String type, Object[] values) {
        return (position, statement, ctx) -> statement.setArray(position, statement.getConnection().createArrayOf(type, values));
    }

    private static Object array(Array a) throws SQLException {
        return a.getArray();
    }

    private static int[] ints(Array a) throws SQLException {
        return Arrays.stream((Integer[]) a.getArray()).mapToInt(Integer::intValue).toArray();
    }
}
