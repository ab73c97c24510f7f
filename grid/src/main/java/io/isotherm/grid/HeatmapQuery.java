package io.isotherm.grid;

import io.isotherm.db.device.DeviceClass;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a heatmap for any date range from the count rows: add up the range's few prefix rows with their signs (or a
 * segment's days), place anchored clicks on the current layout, smooth. Its cost grows with the grid, not with the
 * number of days or of raw events.
 */
public final class HeatmapQuery {
    public static final double MIN_SIGMA_PX = 1;
    public static final double MAX_SIGMA_PX = 256;
    /** Grids stop here (12,500 rows at 8 px): taller documents are drawn down to this depth. */
    public static final int MAX_LAYOUT_HEIGHT = 100_000;

    private record Box(int x, int y, int width, int height) {}

    private final Jdbi jdbi;
    private final GridGeometry grid;

    public HeatmapQuery(Jdbi jdbi, GridGeometry grid) {
        this.jdbi = jdbi;
        this.grid = grid;
    }

    /**
     * @param sigmaPx null for the default from the amount of data ({@link SmoothingRule}), which the stored views have
     * @throws IllegalArgumentException for an unknown device or kind, from after to, or σ out of bounds
     */
    public Heatmap heatmap(int siteId, long pageId, String device, String kind, LocalDate from, LocalDate to, Double sigmaPx, boolean withCounts) {
        return jdbi.withHandle(h -> heatmap(h, siteId, pageId, device, kind, from, to, sigmaPx, withCounts));
    }

    /**
     * The same, read through the caller's handle: in its transaction's snapshot, so that the heatmap agrees with
     * whatever else the caller reads there (the stored view only when no aggregation has changed its counts since).
     *
     * @param sigmaPx null for the default from the amount of data ({@link SmoothingRule}), which the stored views have
     * @throws IllegalArgumentException for an unknown device or kind, from after to, or σ out of bounds
     */
    public Heatmap heatmap(Handle h, int siteId, long pageId, String device, String kind, LocalDate from, LocalDate to, Double sigmaPx, boolean withCounts) {
        return heatmap(h, siteId, pageId, device, kind, from, to, sigmaPx, withCounts, null);
    }

    /**
     * The heatmap of the page views of some traffic segments: {@code segments} their ids (V17), null for every page
     * view. A segment's counts are kept per day (V18, V20), so a filtered heatmap adds up one row set per day and
     * segment, and is never a stored view.
     */
    public Heatmap heatmap(Handle h, int siteId, long pageId, String device, String kind, LocalDate from, LocalDate to, Double sigmaPx,
                           boolean withCounts, int[] segments) {
        check(device, kind, from, to, sigmaPx);
        RangeKey key = new RangeKey(siteId, pageId, device, kind, from, to);
        if (segments != null) return build(h, key, sigmaPx, withCounts, segments);
        if (sigmaPx == null) {
            Heatmap stored = ViewStore.stored(h, key, withCounts).orElse(null);
            // A view stored under another cell size or another default rule is computed anew.
            if (stored != null && stored.cellSize() == grid.cellSize() && stored.sigma() == stored.defaultSigma()) return stored;
        }
        return build(h, key, sigmaPx, withCounts);
    }

    /**
     * The heatmap of several pages together (a page group): the counts of every page of {@code pageIds} added up and drawn
     * on the layout of {@code layoutPageId}, the clicks on an element of any of them on that layout's box for the same
     * selector, so that pages whose layouts differ pool their clicks on the same element. Page views and the document
     * height are those of all the pages. Never a stored view.
     *
     * @param segments the segments whose page views count, null for all
     */
    public Heatmap pooled(Handle h, int siteId, long[] pageIds, long layoutPageId, String device, String kind, LocalDate from, LocalDate to,
                          Double sigmaPx, boolean withCounts, int[] segments) {
        check(device, kind, from, to, sigmaPx);
        return build(h, new RangeKey(siteId, layoutPageId, device, kind, from, to), pageIds, sigmaPx, withCounts, segments);
    }

    private void check(String device, String kind, LocalDate from, LocalDate to, Double sigmaPx) {
        if (!grid.layoutWidths().containsKey(device)) throw new IllegalArgumentException("device must be " + DeviceClass.namesText());
        if (!kind.equals("click") && !kind.equals("move")) throw new IllegalArgumentException("kind must be click or move");
        if (from.isAfter(to)) throw new IllegalArgumentException("from must not be after to");
        if (sigmaPx != null && !(sigmaPx >= MIN_SIGMA_PX && sigmaPx <= MAX_SIGMA_PX)) {
            throw new IllegalArgumentException("sigma must be " + (int) MIN_SIGMA_PX + " to " + (int) MAX_SIGMA_PX + " px");
        }
    }

    /** The heatmap computed from the counts, never a stored view: what a stored view must equal (sigmaPx null: the default). */
    public Heatmap computed(int siteId, long pageId, String device, String kind, LocalDate from, LocalDate to, Double sigmaPx, boolean withCounts) {
        return jdbi.withHandle(h -> build(h, new RangeKey(siteId, pageId, device, kind, from, to), sigmaPx, withCounts));
    }

    /** @param sigma σ in px, or null for the default from the amount of data */
    Heatmap build(Handle h, RangeKey key, Double sigma, boolean withCounts) {
        return build(h, key, sigma, withCounts, null);
    }

    private Heatmap build(Handle h, RangeKey key, Double sigma, boolean withCounts, int[] segments) {
        return build(h, key, new long[] {key.pageId()}, sigma, withCounts, segments);
    }

    /**
     * @param pages    the pages whose counts are drawn on the layout of the key's page (that page alone but for a group)
     * @param segments the segments whose page views count, null for all
     */
    private Heatmap build(Handle h, RangeKey key, long[] pages, Double sigma, boolean withCounts, int[] segments) {
        int cell = grid.cellSize();
        int width = grid.layoutWidth(key.device());
        Map<String, Box> boxes = key.kind().equals("click") ? boxes(h, key) : Map.of();
        long[] page = h.createQuery("""
                        SELECT coalesce(sum(pageviews), 0), coalesce(max(document_height), 0) FROM page_day
                        WHERE site_id = :site AND page_id = ANY(:pages) AND device = :device::device_class AND day BETWEEN :from AND :to""")
                .bind("site", key.siteId()).bindArray("pages", Long.class, java.util.Arrays.stream(pages).boxed().toList()).bind("device", key.device())
                .bind("from", key.from()).bind("to", key.to())
                .map((rs, ctx) -> new long[]{rs.getLong(1), rs.getLong(2)})
                .one();
        if (segments != null) page[0] = pageviews(h, key, pages, segments);
        int layoutBottom = boxes.values().stream().mapToInt(b -> b.y() + b.height()).max().orElse(0);
        int height = (int) Math.min(Math.max(page[1], layoutBottom), MAX_LAYOUT_HEIGHT);
        Grid grid = new Grid(cell, (width + cell - 1) / cell, (height + cell - 1) / cell);

        // Clicks on elements the current layout knows are drawn from their in-box positions, not from where they
        // were on the visitor's screen; clicks on no element and moves from their cells. Clicks on an element the
        // capture did not see (shown after an interaction, or gone since a redesign) would be drawn on whatever the
        // screenshot shows where the visitor's screen had it: they are not drawn but counted (the elements panel lists
        // them), except fixed clicks, which stand where fixed elements stand on the screenshot's first screen. Before
        // any capture (or past its element limit, or for rows that do not say which clicks were fixed) all are drawn
        // from their cells.
        boolean captured = !boxes.isEmpty() && boxes.size() < Layouts.MAX_ELEMENTS;
        // One selector's anchored clicks from every page, whatever their layouts, drawn once on the layout's box; the
        // clicks on a selector the capture did not see, decided once all their rows are in (prefix rows come with signs).
        Map<String, Anchors> anchored = new HashMap<>();
        Map<String, Unplaced> unplaced = new HashMap<>();
        for (long pageId : pages) {
            GridRows.Key counts = new GridRows.Key(key.siteId(), pageId, key.device(), key.kind());
            GridRows.tiles(h, counts, key.from(), key.to(), segments, (sign, band, cellSize, cells) -> grid.addCells(cellSize, cells, sign));
            if (!key.kind().equals("click")) continue;
            GridRows.targets(h, counts, key.from(), key.to(), segments, (sign, selector, cellSize, cells, bins, anchors, moments, fixedCells) -> {
                Box box = boxes.get(selector);
                if (box != null) anchored.computeIfAbsent(selector + '\n' + bins, k -> new Anchors(box, bins)).add(anchors, moments, sign);
                else if (!captured) grid.addCells(cellSize, cells, sign);
                else unplaced.computeIfAbsent(selector, s -> new Unplaced()).add(sign, cellSize, cells, fixedCells);
            });
        }
        anchored.values().forEach(a -> a.drawOn(grid));
        unplaced.values().forEach(u -> u.drawOn(grid));
        return grid.smooth(sigma, width, height, page[0], withCounts);
    }

    /** The page views of the pages in the segments (their rows in pageview_summary, V17). */
    private static long pageviews(Handle h, RangeKey key, long[] pages, int[] segments) {
        return h.createQuery("""
                        SELECT count(*) FROM pageview_summary
                        WHERE site_id = :site AND page_id = ANY(:pages) AND device = :device::device_class AND day BETWEEN :from AND :to
                          AND segment_id = ANY(:segments)""")
                .bind("site", key.siteId()).bindArray("pages", Long.class, java.util.Arrays.stream(pages).boxed().toList()).bind("device", key.device())
                .bind("from", key.from()).bind("to", key.to())
                .bindArray("segments", Integer.class, java.util.Arrays.stream(segments).boxed().toList())
                .mapTo(Long.class).one();
    }

    private static Map<String, Box> boxes(Handle h, RangeKey key) {
        Map<String, Box> boxes = new HashMap<>();
        h.createQuery("SELECT selector, x, y, width, height FROM layout_element WHERE site_id = :site AND page_id = :page AND device = :device::device_class")
                .bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device())
                .map((rs, ctx) -> Map.entry(rs.getString(1), new Box(rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5))))
                .forEach(e -> boxes.put(e.getKey(), e.getValue()));
        return boxes;
    }

    /** The in-box counts of one selector (at one bin size) over the range, drawn on its box once all are read. */
    private static final class Anchors {
        final Box box;
        final int bins;
        final int[] clicks;
        /** Per bin, the sums of {@link InBox#MOMENTS} over the clicks that carry them (rows since V15). */
        final long[] moments;

        Anchors(Box box, int bins) {
            this.box = box;
            this.bins = bins;
            this.clicks = new int[bins * bins];
            this.moments = new long[bins * bins * InBox.MOMENTS];
        }

        void add(byte[] anchors, byte[] sums, int sign) {
            PackedCounts.Cursor c = new PackedCounts.Cursor(anchors);
            while (c.next()) clicks[c.index()] += sign * c.count();
            PackedCounts.Cursor m = new PackedCounts.Cursor(sums);
            while (m.next()) moments[m.index()] += (long) sign * m.count();
        }

        /**
         * Clicks with moments at their mean, spread as they are, finer than a cell; the others (counted before V15)
         * whole in the cell of their bin's centre, as they always were.
         */
        void drawOn(Grid grid) {
            for (int bin = 0; bin < clicks.length; bin++) {
                if (clicks[bin] == 0) continue;
                int exact = (int) moments[bin * InBox.MOMENTS], plain = clicks[bin] - exact;
                if (plain > 0) {
                    grid.add(box.x() + (bin % bins + 0.5) / bins * box.width(), box.y() + (bin / bins + 0.5) / bins * box.height(), plain);
                }
                if (exact > 0) {
                    InBox.Spot s = InBox.Spot.of(bin, bins, moments, bin * InBox.MOMENTS);
                    grid.addSpot(box.x() + s.x() * box.width(), box.y() + s.y() * box.height(), s.dx() * box.width(), s.dy() * box.height(), exact);
                }
            }
        }
    }

    /**
     * The clicks of a selector the capture did not see: only its fixed clicks are drawn (they stand where fixed elements
     * stand on the screenshot's first screen), the rest counted as not drawn; all of them drawn from their cells when a
     * row does not say which were fixed (written before V16).
     */
    private static final class Unplaced {
        private record Row(int sign, int cellSize, byte[] cells, byte[] fixedCells) {}

        final List<Row> rows = new ArrayList<>();
        boolean fixedUnknown;

        void add(int sign, int cellSize, byte[] cells, byte[] fixedCells) {
            rows.add(new Row(sign, cellSize, cells, fixedCells));
            fixedUnknown |= fixedCells == null;
        }

        void drawOn(Grid grid) {
            for (Row r : rows) {
                if (fixedUnknown) {
                    grid.addCells(r.cellSize(), r.cells(), r.sign());
                } else {
                    grid.addCells(r.cellSize(), r.fixedCells(), r.sign());
                    grid.notDrawn += r.sign() * (PackedCounts.total(r.cells()) - PackedCounts.total(r.fixedCells()));
                }
            }
        }
    }

    /** Counts per cell, then the smoothed, normalised result. */
    private static final class Grid {
        final int cell, columns, rows;
        final int[] counts;
        /** What the drawing adds to the counts to place exact points between cell centres; null while there are none. */
        float[] shift;
        long total;
        /** Clicks left out: on elements the capture did not see. */
        long notDrawn;

        Grid(int cell, int columns, int rows) {
            this.cell = cell;
            this.columns = columns;
            this.rows = rows;
            this.counts = new int[columns * rows];
        }

        /**
         * Packed counts of cells of {@code size} px ({@link GridRows#CELL_ROW}), each drawn at its cell's centre, times
         * {@code sign} (-1: the counts of a prefix before the range, taken away).
         */
        void addCells(int size, byte[] cells, int sign) {
            PackedCounts.Cursor c = new PackedCounts.Cursor(cells);
            if (size != cell) {
                while (c.next()) addCell(size, c.index(), sign * c.count());
                return;
            }
            // The same cells as this grid's (the usual case): a run of counts lands on consecutive cells of one row,
            // added with whole-number arithmetic. This is the hot loop of a long range on a busy page.
            if (rows == 0) return;
            while (c.nextRun()) {
                int index = c.index(), length = c.runLength();
                int cx = index % GridRows.CELL_ROW, cy = Math.min(index / GridRows.CELL_ROW, rows - 1);
                if (cx + length <= columns) {
                    total += c.addRunTo(counts, cy * columns + cx, sign);
                } else {
                    for (int k = 0; k < length; k++) addCell(size, index + k, sign * c.runCount());
                }
            }
        }

        /** Events in the cell of {@code size} px at a packed index, drawn at the cell's centre. */
        private void addCell(int size, int index, int events) {
            add((index % GridRows.CELL_ROW + 0.5) * size, (index / GridRows.CELL_ROW + 0.5) * size, events);
        }

        /**
         * Events at layout px (x, y) known to a fraction of a cell, spread as far as (dx, dy) around it: counted in the
         * cell that holds (x, y), as {@link #add} does, but drawn as four equal parts at x ± dx and y ± dy, each spread
         * over the four cells around it by how near their centres are (bilinear). The smoothed spot is then centred on
         * (x, y) itself, not on a cell's centre (up to half a cell away), and as wide as the events were.
         */
        void addSpot(double x, double y, double dx, double dy, int events) {
            if (rows == 0) return;
            add(x, y, events);
            if (shift == null) shift = new float[counts.length];
            shift[cellOf(y, rows) * columns + cellOf(x, columns)] -= events;
            double part = events / 4.0;
            spread(x - dx, y, part);
            spread(x + dx, y, part);
            spread(x, y - dy, part);
            spread(x, y + dy, part);
        }

        private int cellOf(double px, int cells) {
            return (int) Math.min(Math.max(px / cell, 0), cells - 1);
        }

        private void spread(double x, double y, double events) {
            double u = Math.min(Math.max(x / cell - 0.5, 0), columns - 1), v = Math.min(Math.max(y / cell - 0.5, 0), rows - 1);
            int c0 = (int) u, r0 = (int) v, c1 = Math.min(c0 + 1, columns - 1), r1 = Math.min(r0 + 1, rows - 1);
            double fx = u - c0, fy = v - r0;
            shift[r0 * columns + c0] += (float) (events * (1 - fx) * (1 - fy));
            shift[r0 * columns + c1] += (float) (events * fx * (1 - fy));
            shift[r1 * columns + c0] += (float) (events * (1 - fx) * fy);
            shift[r1 * columns + c1] += (float) (events * fx * fy);
        }

        /** Events at layout px (x, y); outside the grid they are kept at its nearest edge cell. */
        void add(double x, double y, int events) {
            if (rows == 0) return;
            counts[cellOf(y, rows) * columns + cellOf(x, columns)] += events;
            total += events;
        }

        Heatmap smooth(Double sigmaPx, int width, int height, long pageviews, boolean withCounts) {
            double defaultSigma = SmoothingRule.sigmaPx(total, (double) width * height);
            double sigma = sigmaPx == null ? defaultSigma : sigmaPx;
            float[] density = new float[counts.length];
            for (int i = 0; i < counts.length; i++) density[i] = counts[i];
            if (shift != null) for (int i = 0; i < counts.length; i++) density[i] = Math.max(density[i] + shift[i], 0);
            float[] smoothed = counts.length == 0 ? density : GaussianSmoothing.smooth(density, columns, rows, sigma / cell);
            double max = 0;
            for (float v : smoothed) max = Math.max(max, v);
            double p99 = percentile99(smoothed, max);
            for (int i = 0; i < smoothed.length; i++) smoothed[i] = Heatmap.unit(max > 0 ? smoothed[i] / max : 0);
            return new Heatmap(cell, columns, rows, width, height, sigma, defaultSigma, smoothed, withCounts ? counts : null, max, p99, total, pageviews, notDrawn);
        }

        /**
         * The 99th percentile of the non-zero values, to 1/4096 of the maximum: a histogram instead of a sort, which on
         * a smoothed grid (almost every cell non-zero) would cost more than the smoothing.
         */
        private static double percentile99(float[] values, double max) {
            if (max <= 0) return 0;
            int bins = 4096;
            int[] histogram = new int[bins];
            int n = 0;
            for (float v : values) {
                if (v > 0) {
                    histogram[(int) Math.min(v / max * bins, bins - 1)]++;
                    n++;
                }
            }
            long rank = (long) Math.ceil(0.99 * n), seen = 0;
            for (int b = 0; b < bins; b++) {
                seen += histogram[b];
                if (seen >= rank) return Math.min((b + 1) * max / bins, max);
            }
            return max;
        }
    }
}
