package io.isotherm.grid;

import io.isotherm.db.site.SiteLocks;
import io.isotherm.grid.DayBlocks.Block;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The refresh of the count rows, off the ingest path: for each key marked in heat_block_dirty, a single day's parts
 * are summed into one row per band (and per target), and a longer block is rebuilt from the current blocks below it.
 * Marks are taken {@code FOR UPDATE SKIP LOCKED} and deleted before the counts are read, in the transaction that
 * writes the result, as {@link ViewRefresh} does with views: an aggregation that adds counts meanwhile marks the key
 * again, and cannot commit before this transaction does. Any number of aggregators may refresh at once.
 */
public final class BlockRefresh {
    private static final int MARKS_PER_TRANSACTION = 200;

    private record Mark(GridRows.Key key, Block block) {}

    private record Band(int band, int cellSize) {}

    private final Jdbi jdbi;

    public BlockRefresh(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Refreshes every marked key; returns how many. */
    public int refresh() {
        int refreshed = 0;
        while (true) {
            int n = jdbi.inTransaction(this::refreshSome);
            if (n == 0) return refreshed;
            refreshed += n;
        }
    }

    private int refreshSome(Handle h) {
        // The sites with marks and their today, unlocked; then each site's marks are locked and taken, each statement
        // with an equality on site_id (one shard under Citus).
        List<Map.Entry<Integer, LocalDate>> sites = h.createQuery("""
                        SELECT DISTINCT m.site_id, (now() AT TIME ZONE s.time_zone)::date
                        FROM heat_block_dirty m JOIN site s ON s.site_id = m.site_id
                        ORDER BY m.site_id""")
                .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getObject(2, LocalDate.class)))
                .list();
        if (sites.isEmpty()) return 0;
        SiteLocks.share(h, sites.stream().map(Map.Entry::getKey).toList());
        List<Mark> marks = new ArrayList<>();
        for (var site : sites) {
            if (marks.size() >= MARKS_PER_TRANSACTION) break;
            // Shorter spans first: a block is built from the blocks below it, best when those are current. A block that
            // reaches today or later waits: its days are still changing, and no range up to today can use it unless it
            // ends today, so readers lose little (a few more rows) while the refresh saves rebuilding it every pass.
            marks.addAll(h.createQuery("""
                            SELECT page_id, device, kind, span, first_day, segment_id FROM heat_block_dirty
                            WHERE site_id = :site AND EXISTS (SELECT FROM site s WHERE s.site_id = :site)
                              AND (span = 1 OR first_day + span - 1 < :today)
                            ORDER BY span, page_id, device, kind, first_day, segment_id LIMIT :limit
                            FOR UPDATE SKIP LOCKED""")
                    .bind("site", site.getKey())
                    .bind("today", site.getValue())
                    .bind("limit", MARKS_PER_TRANSACTION - marks.size())
                    .map((rs, ctx) -> new Mark(new GridRows.Key(site.getKey(), rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(6)),
                            new Block(rs.getInt(4), rs.getObject(5, LocalDate.class))))
                    .list());
        }
        if (marks.isEmpty()) return 0;
        for (Mark mark : marks) {
            h.createUpdate("""
                            DELETE FROM heat_block_dirty WHERE site_id = :site AND page_id = :page AND device = :device::device_class
                              AND kind = :kind::event_kind AND span = :span AND first_day = :first AND segment_id = :segment""")
                    .bind("segment", mark.key().segment())
                    .bind("site", mark.key().siteId()).bind("page", mark.key().pageId()).bind("device", mark.key().device())
                    .bind("kind", mark.key().kind()).bind("span", (short) mark.block().span()).bind("first", mark.block().first())
                    .execute();
        }
        for (Mark mark : marks) rebuild(h, mark.key(), mark.block());
        return marks.size();
    }

    /** Replaces the block's rows with one per band (and per target): the sum of its own parts, or of the blocks below. */
    private static void rebuild(Handle h, GridRows.Key key, Block block) {
        List<Block> sources = block.span() == 1 ? List.of(block)
                : DayBlocks.cover(block.first(), block.last(), block.span(), GridRows.stale(h, key)::contains);

        Map<Band, List<byte[]>> bands = new TreeMap<>(Comparator.comparingInt(Band::band).thenComparingInt(Band::cellSize));
        List<Long> tileParts = new ArrayList<>();
        GridRows.tiles(h, key, sources, (band, part, cellSize, cells) -> {
            bands.computeIfAbsent(new Band(band, cellSize), k -> new ArrayList<>()).add(cells);
            tileParts.add(part);
        });
        Map<String, Target> targets = new TreeMap<>();
        List<Long> targetParts = new ArrayList<>();
        if (key.kind().equals("click")) {
            GridRows.targets(h, key, sources, (selector, part, cellSize, cells, bins, anchors, moments, fixedCells) -> {
                Target target = targets.computeIfAbsent(selector, s -> new Target());
                if (cells.length > 0) target.cells.computeIfAbsent(cellSize, s -> new ArrayList<>()).add(cells);
                // One part without them (written before V16) and the sum does not know which clicks were fixed.
                if (fixedCells == null) target.fixedUnknown.add(cellSize);
                else if (fixedCells.length > 0) target.fixedCells.computeIfAbsent(cellSize, s -> new ArrayList<>()).add(fixedCells);
                if (anchors.length > 0) target.anchors.computeIfAbsent(bins, b -> new ArrayList<>()).add(anchors);
                if (moments.length > 0) target.moments.computeIfAbsent(bins, b -> new ArrayList<>()).add(moments);
                targetParts.add(part);
            });
        }
        boolean single = block.span() == 1;
        // A single day with one part per row already is as compact as it gets.
        if (single && tileParts.size() == bands.size() && targetParts.size() == targets.values().stream().mapToInt(Target::rows).sum()) return;

        if (single) {
            deleteParts(h, "heat_tile", key, block, tileParts);
            deleteParts(h, "click_target", key, block, targetParts);
        } else {
            deleteBlock(h, "heat_tile", key, block, true);
            if (key.kind().equals("click")) deleteBlock(h, "click_target", key, block, false);
        }
        PreparedBatch tiles = h.prepareBatch("""
                INSERT INTO heat_tile (site_id, page_id, device, kind, span, first_day, segment_id, band, cell_size, cells)
                VALUES (:site, :page, :device::device_class, :kind::event_kind, :span, :first, :segment, :band, :cellSize, :cells)""");
        bands.forEach((band, parts) -> bind(tiles, key, block)
                .bind("band", band.band()).bind("cellSize", (short) band.cellSize()).bind("cells", PackedCounts.sum(parts))
                .add());
        if (tiles.size() > 0) tiles.execute();
        PreparedBatch rows = h.prepareBatch("""
                INSERT INTO click_target (site_id, page_id, device, span, first_day, segment_id, selector, cell_size, cells, anchor_bins,
                    anchors, anchor_moments, fixed_cells)
                VALUES (:site, :page, :device::device_class, :span, :first, :segment, :selector, :cellSize, :cells, :bins, :anchors,
                    :moments, :fixed)""");
        targets.forEach((selector, target) -> target.merged((cellSize, cells, bins, anchors, moments, fixedCells) -> bind(rows, key, block)
                .bind("selector", selector).bind("cellSize", (short) cellSize).bind("cells", cells)
                .bind("bins", (short) bins).bind("anchors", anchors).bind("moments", moments).bind("fixed", fixedCells)
                .add()));
        if (rows.size() > 0) rows.execute();
    }

    private static PreparedBatch bind(PreparedBatch batch, GridRows.Key key, Block block) {
        return batch.bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device()).bind("kind", key.kind())
                .bind("span", (short) block.span()).bind("first", block.first()).bind("segment", key.segment());
    }

    /** Deletes exactly the parts that were read: parts an aggregation adds meanwhile stay, for the next refresh. */
    private static void deleteParts(Handle h, String table, GridRows.Key key, Block day, List<Long> parts) {
        if (parts.isEmpty()) return;
        h.createUpdate("DELETE FROM " + table + " WHERE site_id = :site AND page_id = :page AND device = :device::device_class"
                        + " AND span = 1 AND first_day = :first AND segment_id = :segment AND part = ANY(:parts)")
                .bind("segment", key.segment())
                .bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device()).bind("first", day.first())
                .bindArray("parts", Long.class, parts)
                .execute();
    }

    /** A block above a single day is written only here, under its mark: its rows are replaced whole. */
    private static void deleteBlock(Handle h, String table, GridRows.Key key, Block block, boolean withKind) {
        h.createUpdate("DELETE FROM " + table + " WHERE site_id = :site AND page_id = :page AND device = :device::device_class"
                        + (withKind ? " AND kind = :kind::event_kind" : "") + " AND span = :span AND first_day = :first AND segment_id = :segment")
                .bind("segment", key.segment())
                .bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device()).bind("kind", key.kind())
                .bind("span", (short) block.span()).bind("first", block.first())
                .execute();
    }

    /** One target's counts gathered from several parts: cells by cell size, anchors by bins. */
    private static final class Target {
        final Map<Integer, List<byte[]>> cells = new LinkedHashMap<>();
        final Map<Integer, List<byte[]>> anchors = new LinkedHashMap<>();
        final Map<Integer, List<byte[]>> moments = new LinkedHashMap<>();
        final Map<Integer, List<byte[]>> fixedCells = new LinkedHashMap<>();
        /** Cell sizes with a part written before V16: their fixed clicks are not known. */
        final Set<Integer> fixedUnknown = new HashSet<>();

        interface Row {
            void accept(int cellSize, byte[] cells, int bins, byte[] anchors, byte[] moments, byte[] fixedCells);
        }

        int rows() {
            return Math.max(1, Math.max(cells.size(), anchors.size()));
        }

        /** The merged counts as rows: cells and anchors paired up (one row when the settings never changed). */
        void merged(Row row) {
            List<Map.Entry<Integer, List<byte[]>>> c = new ArrayList<>(cells.entrySet());
            List<Map.Entry<Integer, List<byte[]>>> a = new ArrayList<>(anchors.entrySet());
            for (int i = 0; i < Math.max(c.size(), a.size()); i++) {
                int cellSize = i < c.size() ? c.get(i).getKey() : GridGeometry.defaults().cellSize();
                int bins = i < a.size() ? a.get(i).getKey() : 1;
                row.accept(cellSize, i < c.size() ? PackedCounts.sum(c.get(i).getValue()) : PackedCounts.EMPTY,
                        bins, i < a.size() ? PackedCounts.sum(a.get(i).getValue()) : PackedCounts.EMPTY,
                        i < a.size() ? PackedCounts.sum(moments.getOrDefault(bins, List.of())) : PackedCounts.EMPTY,
                        fixedUnknown.contains(cellSize) ? null : PackedCounts.sum(fixedCells.getOrDefault(cellSize, List.of())));
            }
        }
    }
}
