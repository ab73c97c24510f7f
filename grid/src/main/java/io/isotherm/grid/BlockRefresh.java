package io.isotherm.grid;

import io.isotherm.db.site.SiteLocks;
import io.isotherm.grid.DayBlocks.Block;
import io.isotherm.grid.DayBlocks.Chain;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The refresh of the count rows, off the ingest path: for each day marked in heat_block_dirty, the parts the
 * aggregation appended are added to the rows (V20): for every page view, to the prefix rows of the day's chains
 * ({@link DayBlocks#chains}); for a segment, to its day's row. Marks are taken {@code FOR UPDATE SKIP LOCKED} and
 * deleted before the parts are read, in the transaction that writes the result: an aggregation that adds parts
 * meanwhile marks the day again, and cannot commit before this transaction does. The rows of one page, device, kind
 * and segment are changed by one refresh at a time (an advisory lock; a refresh skips a key another one holds), since
 * a day's counts go into rows other days share. Any number of aggregators may refresh at once.
 */
public final class BlockRefresh {
    private static final int MARKS_PER_TRANSACTION = 200;

    /** A band's counts at one cell size (tiles), or a selector's (targets): each has its own chains of rows. */
    private record TileFamily(int band, int cellSize) {}

    private final Jdbi jdbi;

    public BlockRefresh(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Adds every marked day's parts; returns how many days. */
    public int refresh() {
        int refreshed = 0;
        while (true) {
            int n = jdbi.inTransaction(this::refreshSome);
            if (n == 0) return refreshed;
            refreshed += n;
        }
    }

    private int refreshSome(Handle h) {
        // The sites with marks, unlocked; then each site's marks are locked and taken, each statement with an equality
        // on site_id (one shard under Citus).
        List<Integer> sites = h.createQuery("SELECT DISTINCT site_id FROM heat_block_dirty ORDER BY site_id").mapTo(Integer.class).list();
        if (sites.isEmpty()) return 0;
        SiteLocks.share(h, sites);
        Map<GridRows.Key, List<LocalDate>> marks = new LinkedHashMap<>();
        int taken = 0;
        for (int site : sites) {
            if (taken >= MARKS_PER_TRANSACTION) break;
            List<Map.Entry<GridRows.Key, LocalDate>> some = h.createQuery("""
                            SELECT page_id, device, kind, segment_id, first_day FROM heat_block_dirty
                            WHERE site_id = :site AND EXISTS (SELECT FROM site s WHERE s.site_id = :site)
                            ORDER BY page_id, device, kind, segment_id, first_day LIMIT :limit
                            FOR UPDATE SKIP LOCKED""")
                    .bind("site", site)
                    .bind("limit", MARKS_PER_TRANSACTION - taken)
                    .map((rs, ctx) -> Map.entry(new GridRows.Key(site, rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4)),
                            rs.getObject(5, LocalDate.class)))
                    .list();
            some.forEach(m -> marks.computeIfAbsent(m.getKey(), k -> new ArrayList<>()).add(m.getValue()));
            taken += some.size();
        }
        int refreshed = 0;
        for (var e : marks.entrySet()) {
            GridRows.Key key = e.getKey();
            if (!lock(h, key)) continue; // another refresh is adding to these rows: its marks wait for the next pass
            List<LocalDate> days = e.getValue();
            h.createUpdate("""
                            DELETE FROM heat_block_dirty WHERE site_id = :site AND page_id = :page AND device = :device::device_class
                              AND kind = :kind::event_kind AND segment_id = :segment AND span = 1 AND first_day = ANY(:days)""")
                    .bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device())
                    .bind("kind", key.kind()).bind("segment", key.segment())
                    .bindArray("days", LocalDate.class, days)
                    .execute();
            addTiles(h, key, days);
            if (key.kind().equals("click") && key.segment() == 0) addTargets(h, key, days);
            else if (key.kind().equals("click")) SegmentClickRows.refresh(h, key, days);
            refreshed += days.size();
        }
        return refreshed;
    }

    private static boolean lock(Handle h, GridRows.Key key) {
        return h.createQuery("SELECT pg_try_advisory_xact_lock(hashtext('isotherm.grid'), hashtext(:key))")
                .bind("key", key.siteId() + " " + key.pageId() + " " + key.device() + " " + key.kind() + " " + key.segment())
                .mapTo(Boolean.class).one();
    }

    /** The chains a day's counts go into: every page view's prefix rows, or a segment's day. */
    private static List<Chain> chains(GridRows.Key key, LocalDate day) {
        return key.segment() == 0 ? DayBlocks.chains(day) : DayBlocks.day(day);
    }

    /**
     * The chains of the days with, for each, the first span any of the days adds to: a refresh loads each chain's rows
     * from there on, and the longest row before.
     */
    private static Map<Chain, Integer> fromSpans(GridRows.Key key, Iterable<LocalDate> days) {
        Map<Chain, Integer> from = new LinkedHashMap<>();
        for (LocalDate day : days) {
            for (Chain c : chains(key, day)) from.merge(new Chain(c.first(), c.step(), c.length(), 0), c.offset(), Math::min);
        }
        return from;
    }

    // ---- moves and clicks on no target: heat_tile, one row per band and cell size

    private static void addTiles(Handle h, GridRows.Key key, List<LocalDate> days) {
        // The parts, per band and day.
        Map<TileFamily, TreeMap<LocalDate, byte[]>> parts = new LinkedHashMap<>();
        Map<TileFamily, Map<LocalDate, List<Long>>> partIdsByDay = new LinkedHashMap<>();
        List<Long> partIds = new ArrayList<>();
        h.createQuery("""
                        SELECT band, cell_size, first_day, part, cells FROM heat_tile
                        WHERE site_id = :site AND page_id = :page AND device = :device::device_class AND kind = :kind::event_kind
                          AND segment_id = :segment AND span = 0 AND first_day = ANY(:days)""")
                .bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device()).bind("kind", key.kind())
                .bind("segment", key.segment()).bindArray("days", LocalDate.class, days)
                .map((rs, ctx) -> {
                    TileFamily family = new TileFamily(rs.getInt(1), rs.getInt(2));
                    LocalDate day = rs.getObject(3, LocalDate.class);
                    parts.computeIfAbsent(family, f -> new TreeMap<>()).merge(day, rs.getBytes(5), PackedCounts::plus);
                    partIdsByDay.computeIfAbsent(family, f -> new HashMap<>()).computeIfAbsent(day, d -> new ArrayList<>()).add(rs.getLong(4));
                    partIds.add(rs.getLong(4));
                    return null;
                })
                .forEach(ignored -> { });
        if (parts.isEmpty()) return;

        // The rows of the chains they go into.
        Map<TileFamily, ChainRows<byte[]>> rows = new LinkedHashMap<>();
        Map<TileFamily, Map<Block, Long>> rowParts = new LinkedHashMap<>();
        List<Integer> bands = parts.keySet().stream().map(TileFamily::band).distinct().toList();
        fromSpans(key, parts.values().stream().flatMap(d -> d.keySet().stream()).toList()).forEach((chain, from) -> h.createQuery("""
                        WITH below AS (
                            SELECT DISTINCT ON (band, cell_size) band, cell_size, span FROM heat_tile
                            WHERE site_id = :site AND page_id = :page AND device = :device::device_class AND kind = :kind::event_kind
                              AND segment_id = :segment AND first_day = :first AND span BETWEEN :step AND :from - 1 AND span % :step = 0
                              AND band = ANY(:bands)
                            ORDER BY band, cell_size, span DESC)
                        SELECT t.band, t.cell_size, t.span, t.part, t.cells FROM heat_tile t
                        WHERE t.site_id = :site AND t.page_id = :page AND t.device = :device::device_class AND t.kind = :kind::event_kind
                          AND t.segment_id = :segment AND t.first_day = :first AND t.band = ANY(:bands)
                          AND ((t.span BETWEEN :from AND :length AND t.span % :step = 0)
                               OR (t.band, t.cell_size, t.span) IN (SELECT band, cell_size, span FROM below))""")
                .bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device()).bind("kind", key.kind())
                .bind("segment", key.segment()).bind("first", chain.first()).bind("from", from).bind("length", chain.length())
                .bind("step", chain.step()).bindArray("bands", Integer.class, bands)
                .map((rs, ctx) -> {
                    TileFamily family = new TileFamily(rs.getInt(1), rs.getInt(2));
                    Block block = new Block(rs.getInt(3), chain.first());
                    rows.computeIfAbsent(family, f -> new ChainRows<>(PackedCounts::plus)).load(block, rs.getBytes(5));
                    rowParts.computeIfAbsent(family, f -> new LinkedHashMap<>()).putIfAbsent(block, rs.getLong(4));
                    return null;
                })
                .forEach(ignored -> { }));

        // The days added in order, then the rows written: changed ones updated, new ones inserted.
        parts.forEach((family, byDay) -> {
            ChainRows<byte[]> chains = rows.computeIfAbsent(family, f -> new ChainRows<>(PackedCounts::plus));
            byDay.forEach((day, counts) -> chains.add(chains(key, day), counts));
        });
        PreparedBatch updates = h.prepareBatch("""
                UPDATE heat_tile SET cells = :cells
                WHERE site_id = :site AND page_id = :page AND device = :device::device_class AND kind = :kind::event_kind
                  AND segment_id = :segment AND first_day = :first AND span = :span AND band = :band AND part = :part""");
        PreparedBatch inserts = h.prepareBatch("""
                INSERT INTO heat_tile (site_id, page_id, device, kind, span, first_day, segment_id, band, cell_size, cells)
                VALUES (:site, :page, :device::device_class, :kind::event_kind, :span, :first, :segment, :band, :cellSize, :cells)""");
        // A new row that is exactly one part (a segment's day, or a block's first day) takes the part's row instead.
        PreparedBatch promotions = h.prepareBatch("""
                UPDATE heat_tile SET span = :span, first_day = :first
                WHERE site_id = :site AND page_id = :page AND device = :device::device_class AND kind = :kind::event_kind
                  AND segment_id = :segment AND first_day = :day AND span = 0 AND band = :band AND part = :part""");
        Set<Long> promoted = new HashSet<>();
        rows.forEach((family, chains) -> {
            for (Block b : chains.changed()) {
                byte[] cells = runs(chains.get(b));
                Long part = chains.wasLoaded(b) ? null : onlyPart(parts.get(family), partIdsByDay.get(family), cells);
                PreparedBatch batch;
                if (chains.wasLoaded(b)) {
                    batch = updates.bind("part", rowParts.get(family).get(b)).bind("cells", cells);
                } else if (part != null && promoted.add(part)) {
                    batch = promotions.bind("part", part).bind("day", dayOf(parts.get(family), cells));
                } else {
                    batch = inserts.bind("cellSize", (short) family.cellSize()).bind("cells", cells);
                }
                bind(batch, key, b).bind("kind", key.kind()).bind("band", family.band()).add();
            }
        });
        if (updates.size() > 0) updates.execute();
        if (promotions.size() > 0) promotions.execute();
        if (inserts.size() > 0) inserts.execute();
        partIds.removeAll(promoted);
        deleteParts(h, "heat_tile", key, partIds);
    }

    /** The part whose bytes these are (the same array), if it is its day's only part and already in the runs form. */
    private static Long onlyPart(TreeMap<LocalDate, byte[]> byDay, Map<LocalDate, List<Long>> ids, byte[] cells) {
        LocalDate day = dayOf(byDay, cells);
        if (day == null || ids.get(day).size() != 1 || cells.length == 0 || (cells[0] & 0xFF) != PackedCounts.RUNS) return null;
        return ids.get(day).get(0);
    }

    private static LocalDate dayOf(TreeMap<LocalDate, byte[]> byDay, byte[] cells) {
        for (var e : byDay.entrySet()) if (e.getValue() == cells) return e.getKey();
        return null;
    }

    // ---- clicks on targets: click_target, a group of rows per selector (one per cell size and bins in use)

    private static void addTargets(Handle h, GridRows.Key key, List<LocalDate> days) {
        Map<String, TreeMap<LocalDate, TargetSum>> parts = new TreeMap<>();
        List<Long> partIds = new ArrayList<>();
        h.createQuery("""
                        SELECT selector, first_day, part, cell_size, cells, anchor_bins, anchors, anchor_moments, fixed_cells FROM click_target
                        WHERE site_id = :site AND page_id = :page AND device = :device::device_class
                          AND segment_id = :segment AND span = 0 AND first_day = ANY(:days)""")
                .bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device())
                .bind("segment", key.segment()).bindArray("days", LocalDate.class, days)
                .map((rs, ctx) -> {
                    TargetSum part = TargetSum.ofRow(rs.getInt(4), rs.getBytes(5), rs.getInt(6), rs.getBytes(7), rs.getBytes(8), rs.getBytes(9));
                    parts.computeIfAbsent(rs.getString(1), s -> new TreeMap<>()).merge(rs.getObject(2, LocalDate.class), part, TargetSum::plus);
                    partIds.add(rs.getLong(3));
                    return null;
                })
                .forEach(ignored -> { });
        if (parts.isEmpty()) return;

        Map<String, ChainRows<TargetSum>> rows = new LinkedHashMap<>();
        Map<String, Map<Block, TargetSum>> loaded = new LinkedHashMap<>();
        List<String> selectors = List.copyOf(parts.keySet());
        fromSpans(key, parts.values().stream().flatMap(d -> d.keySet().stream()).toList()).forEach((chain, from) -> {
            // Two chains can share a block (an epoch's first 16 days): its rows are taken once.
            Map<String, Map<Block, TargetSum>> read = new LinkedHashMap<>();
            h.createQuery("""
                        WITH below AS (
                            SELECT DISTINCT ON (selector) selector, span FROM click_target
                            WHERE site_id = :site AND page_id = :page AND device = :device::device_class AND segment_id = :segment
                              AND first_day = :first AND span BETWEEN :step AND :from - 1 AND span % :step = 0 AND selector = ANY(:selectors)
                            ORDER BY selector, span DESC)
                        SELECT t.selector, t.span, t.cell_size, t.cells, t.anchor_bins, t.anchors, t.anchor_moments, t.fixed_cells
                        FROM click_target t
                        WHERE t.site_id = :site AND t.page_id = :page AND t.device = :device::device_class AND t.segment_id = :segment
                          AND t.first_day = :first AND t.selector = ANY(:selectors)
                          AND ((t.span BETWEEN :from AND :length AND t.span % :step = 0)
                               OR (t.selector, t.span) IN (SELECT selector, span FROM below))""")
                .bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device())
                .bind("segment", key.segment()).bind("first", chain.first()).bind("from", from).bind("length", chain.length())
                .bind("step", chain.step()).bindArray("selectors", String.class, selectors)
                .map((rs, ctx) -> {
                    TargetSum row = TargetSum.ofRow(rs.getInt(3), rs.getBytes(4), rs.getInt(5), rs.getBytes(6), rs.getBytes(7), rs.getBytes(8));
                    read.computeIfAbsent(rs.getString(1), s -> new LinkedHashMap<>()).merge(new Block(rs.getInt(2), chain.first()), row, TargetSum::plus);
                    return null;
                })
                .forEach(ignored -> { });
            read.forEach((selector, blocks) -> blocks.forEach((block, row) ->
                    loaded.computeIfAbsent(selector, x -> new LinkedHashMap<>()).putIfAbsent(block, row)));
        });
        // A selector's rows of a block are one value: loaded once, whichever chains share the block.
        loaded.forEach((selector, blocks) -> {
            ChainRows<TargetSum> chains = rows.computeIfAbsent(selector, s -> new ChainRows<>(TargetSum::plus));
            blocks.forEach(chains::load);
        });

        parts.forEach((selector, byDay) -> {
            ChainRows<TargetSum> chains = rows.computeIfAbsent(selector, s -> new ChainRows<>(TargetSum::plus));
            byDay.forEach((day, counts) -> chains.add(chains(key, day), counts));
        });
        PreparedBatch deletes = h.prepareBatch("""
                DELETE FROM click_target
                WHERE site_id = :site AND page_id = :page AND device = :device::device_class AND segment_id = :segment
                  AND first_day = :first AND span = :span AND selector = :selector""");
        PreparedBatch inserts = h.prepareBatch("""
                INSERT INTO click_target (site_id, page_id, device, span, first_day, segment_id, selector, cell_size, cells, anchor_bins,
                    anchors, anchor_moments, fixed_cells)
                VALUES (:site, :page, :device::device_class, :span, :first, :segment, :selector, :cellSize, :cells, :bins, :anchors,
                    :moments, :fixed)""");
        rows.forEach((selector, chains) -> {
            for (Block b : chains.changed()) {
                if (chains.wasLoaded(b)) bind(deletes, key, b).bind("selector", selector).add();
                chains.get(b).merged((cellSize, cells, bins, anchors, moments, fixedCells) -> bind(inserts, key, b)
                        .bind("selector", selector).bind("cellSize", (short) cellSize).bind("cells", cells)
                        .bind("bins", (short) bins).bind("anchors", anchors).bind("moments", moments).bind("fixed", fixedCells)
                        .add());
            }
        });
        if (deletes.size() > 0) deletes.execute();
        if (inserts.size() > 0) inserts.execute();
        deleteParts(h, "click_target", key, partIds);
    }

    private static PreparedBatch bind(PreparedBatch batch, GridRows.Key key, Block block) {
        return batch.bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device())
                .bind("span", (short) block.span()).bind("first", block.first()).bind("segment", key.segment());
    }

    /** Deletes exactly the parts that were read: parts an aggregation adds meanwhile stay, for the next refresh. */
    private static void deleteParts(Handle h, String table, GridRows.Key key, List<Long> parts) {
        h.createUpdate("DELETE FROM " + table + " WHERE site_id = :site AND page_id = :page AND device = :device::device_class"
                        + " AND segment_id = :segment AND span = 0 AND part = ANY(:parts)")
                .bind("segment", key.segment())
                .bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device())
                .bindArray("parts", Long.class, parts)
                .execute();
    }

    /** One target's counts, possibly from several rows: cells by cell size, anchors and moments by bins. Never changed once made. */
    static final class TargetSum {
        final Map<Integer, byte[]> cells = new TreeMap<>();
        final Map<Integer, byte[]> anchors = new TreeMap<>();
        final Map<Integer, byte[]> moments = new TreeMap<>();
        final Map<Integer, byte[]> fixedCells = new TreeMap<>();
        /** Cell sizes with a row written before V16: their fixed clicks are not known. */
        final Set<Integer> fixedUnknown = new HashSet<>();

        interface Row {
            void accept(int cellSize, byte[] cells, int bins, byte[] anchors, byte[] moments, byte[] fixedCells);
        }

        static TargetSum ofRow(int cellSize, byte[] cells, int bins, byte[] anchors, byte[] moments, byte[] fixedCells) {
            TargetSum t = new TargetSum();
            if (cells.length > 0) t.cells.put(cellSize, cells);
            // One row without them (written before V16) and the sum does not know which clicks were fixed.
            if (fixedCells == null) t.fixedUnknown.add(cellSize);
            else if (fixedCells.length > 0) t.fixedCells.put(cellSize, fixedCells);
            if (anchors.length > 0) t.anchors.put(bins, anchors);
            if (moments.length > 0) t.moments.put(bins, moments);
            return t;
        }

        static TargetSum plus(TargetSum a, TargetSum b) {
            TargetSum t = new TargetSum();
            for (TargetSum s : List.of(a, b)) {
                s.cells.forEach((k, v) -> t.cells.merge(k, v, PackedCounts::plus));
                s.anchors.forEach((k, v) -> t.anchors.merge(k, v, PackedCounts::plus));
                s.moments.forEach((k, v) -> t.moments.merge(k, v, PackedCounts::plus));
                s.fixedCells.forEach((k, v) -> t.fixedCells.merge(k, v, PackedCounts::plus));
                t.fixedUnknown.addAll(s.fixedUnknown);
            }
            return t;
        }

        /** The summed counts as rows: cells and anchors paired up (one row when the settings never changed). */
        void merged(Row row) {
            List<Map.Entry<Integer, byte[]>> c = new ArrayList<>(cells.entrySet());
            List<Map.Entry<Integer, byte[]>> a = new ArrayList<>(anchors.entrySet());
            for (int i = 0; i < Math.max(1, Math.max(c.size(), a.size())); i++) {
                int cellSize = i < c.size() ? c.get(i).getKey() : GridGeometry.defaults().cellSize();
                int bins = i < a.size() ? a.get(i).getKey() : 1;
                row.accept(cellSize, i < c.size() ? runs(c.get(i).getValue()) : PackedCounts.EMPTY,
                        bins, i < a.size() ? runs(a.get(i).getValue()) : PackedCounts.EMPTY,
                        i < a.size() ? runs(moments.getOrDefault(bins, PackedCounts.EMPTY)) : PackedCounts.EMPTY,
                        fixedUnknown.contains(cellSize) ? null : runs(fixedCells.getOrDefault(cellSize, PackedCounts.EMPTY)));
            }
        }
    }

    /** Counts in the runs form (a row loaded in V12's pairs form and not added to is rewritten in runs). */
    private static byte[] runs(byte[] packed) {
        return PackedCounts.plus(packed, PackedCounts.EMPTY);
    }
}
