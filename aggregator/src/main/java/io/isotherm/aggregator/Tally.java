package io.isotherm.aggregator;

import io.isotherm.db.device.DeviceClass;
import io.isotherm.db.event.RawEvent;
import io.isotherm.grid.GridRows;
import io.isotherm.grid.HeatmapQuery;
import io.isotherm.grid.InBox;
import io.isotherm.grid.PackedCounts;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What one aggregation run adds to the aggregate tables, computed from its batches' raw events alone. Everything
 * here is a count to be added, except the page view summaries, which {@link PageviewMerge} reconciles with what
 * earlier runs saw of the same page views.
 */
final class Tally {
    /**
     * A band of one page's cells of one kind on one day, of every segment ({@link Segments#NONE}), or all of them
     * ({@link GridRows#EVERY_BAND}) of one segment: one heat_tile part. Every event counts in both (V18).
     */
    record TileKey(int siteId, long pageId, String device, String kind, LocalDate day, int segment, int band) {}

    /**
     * One clicked element of one page on one day, of every segment: one click_target part and one element_day row.
     * A segment's clicked elements are kept apart ({@link #segmentTargets}).
     */
    record TargetKey(int siteId, long pageId, String device, LocalDate day, String selector) {
        static final Comparator<TargetKey> ORDER = Comparator.comparingInt(TargetKey::siteId).thenComparingLong(TargetKey::pageId)
                .thenComparing(TargetKey::device).thenComparing(TargetKey::day).thenComparing(TargetKey::selector);
    }

    /** One segment's clicks on one page on one day: one segment_click_day part, holding all its clicked elements. */
    record SegmentDayKey(int siteId, long pageId, String device, LocalDate day, int segment) {}

    /** The cells (and for a target, the in-box bins) its events fell in, one entry per event. */
    static final class Occurrences {
        int[] items = new int[8];
        int size;

        void add(int item) {
            if (size == items.length) items = Arrays.copyOf(items, size * 2);
            items[size++] = item;
        }
    }

    /** A target's counts as {@link PackedCounts}: cells, in-box bins, in-box moments, cells of the fixed clicks. */
    record Packed(byte[] cells, byte[] anchors, byte[] moments, byte[] fixedCells) {}

    /** An element's clicks: where they fell, and how many were rage and dead clicks (element_day's counts). */
    static final class Target {
        int clicks, rage, dead;
        final Occurrences cells = new Occurrences();
        /** The cells of the fixed clicks alone (also in cells): drawn even when the capture did not see the element. */
        final Occurrences fixedCells = new Occurrences();
        final Occurrences anchors = new Occurrences();
        /** Where in its bin each anchored click landed: {@code index << 32 | value} for PackedCounts.ofWeighted. */
        long[] moments = new long[8];
        int momentsSize;

        /** What click_target and segment_click_day store of it: its four count sets, packed. */
        Packed pack() {
            return new Packed(PackedCounts.ofOccurrences(cells.items, cells.size), PackedCounts.ofOccurrences(anchors.items, anchors.size),
                    PackedCounts.ofWeighted(moments, momentsSize), PackedCounts.ofOccurrences(fixedCells.items, fixedCells.size));
        }

        /** A click at fine in-box position (fx, fy) ({@link InBox#fine}): its bin, and its five moments. */
        void anchor(int fx, int fy, int bins) {
            int bin = (fy / InBox.STEPS) * bins + fx / InBox.STEPS, ox = fx % InBox.STEPS, oy = fy % InBox.STEPS;
            anchors.add(bin);
            if (momentsSize + InBox.MOMENTS > moments.length) moments = Arrays.copyOf(moments, moments.length * 2);
            long at = (long) bin * InBox.MOMENTS;
            moments[momentsSize++] = at << 32 | 1;
            moments[momentsSize++] = (at + 1) << 32 | ox;
            moments[momentsSize++] = (at + 2) << 32 | oy;
            moments[momentsSize++] = (at + 3) << 32 | (long) ox * ox;
            moments[momentsSize++] = (at + 4) << 32 | (long) oy * oy;
        }
    }

    record PageDayKey(int siteId, long pageId, String device, LocalDate day) {
        static final Comparator<PageDayKey> ORDER = Comparator.comparingInt(PageDayKey::siteId).thenComparingLong(PageDayKey::pageId)
                .thenComparing(PageDayKey::device).thenComparing(PageDayKey::day);
    }

    record HourKey(int siteId, long pageId, LocalDate day, int hour) {
        static final Comparator<HourKey> ORDER = Comparator.comparingInt(HourKey::siteId).thenComparingLong(HourKey::pageId)
                .thenComparing(HourKey::day).thenComparingInt(HourKey::hour);
    }

    // Each key orders its rows the same way in every aggregator (TallyWriter writes in this order, so concurrent
    // runs lock shared rows in the same order).

    /** A histogram bucket of one page × device × day (and segment, for attention_band alone; else NONE). */
    record BucketKey(int siteId, long pageId, String device, LocalDate day, int segment, int bucket) {
        static final Comparator<BucketKey> ORDER = Comparator.comparingInt(BucketKey::siteId).thenComparingLong(BucketKey::pageId)
                .thenComparing(BucketKey::device).thenComparing(BucketKey::day).thenComparingInt(BucketKey::segment)
                .thenComparingInt(BucketKey::bucket);
    }

    /** Per page × device × day: page views, clicks, moves, and the largest document seen. */
    static final class PageDayCounts {
        int pageviews, clicks, moves, documentHeight, documentWidth;
    }

    /**
     * A page view as seen so far: where and when its earliest event happened (which decides its day, hour, device
     * and viewport), and the deepest point it reached.
     */
    record PageviewSeen(int siteId, UUID pageviewId, long pageId, Instant firstSeen, String device, LocalDate day,
                        int hour, int viewportHeight, int deepestY, int deepestPercent, int segmentId,
                        int clicks, int rage, int dead) {

        /**
         * The two views of one page view combined: the earlier one's origin and segment, the deeper point of both, the
         * clicks of both (each batch is seen once, so its clicks are added once).
         */
        PageviewSeen merge(PageviewSeen other) {
            PageviewSeen first = other.firstSeen.isBefore(firstSeen) ? other : this;
            return new PageviewSeen(siteId, pageviewId, first.pageId, first.firstSeen, first.device, first.day, first.hour,
                    first.viewportHeight, Math.max(deepestY, other.deepestY), Math.max(deepestPercent, other.deepestPercent),
                    first.segmentId, clicks + other.clicks, rage + other.rage, dead + other.dead);
        }

        boolean sameOrigin(PageviewSeen other) {
            return firstSeen.equals(other.firstSeen) && pageId == other.pageId && device.equals(other.device)
                    && day.equals(other.day) && hour == other.hour && viewportHeight == other.viewportHeight;
        }
    }

    final Map<TileKey, Occurrences> tiles = new HashMap<>();
    final Map<TargetKey, Target> targets = new HashMap<>();
    /** A segment's clicked elements by page and day, then by selector: a segment's clicks are written per day. */
    final Map<SegmentDayKey, Map<String, Target>> segmentTargets = new HashMap<>();
    final Map<PageDayKey, PageDayCounts> pageDays = new HashMap<>();
    final Map<HourKey, int[]> hours = new HashMap<>(); // {clicks, pageviews}
    final Map<BucketKey, Long> attention = new HashMap<>();
    final Map<UUID, PageviewSeen> pageviews = new HashMap<>();
    private final AggregatorSettings settings;
    private int events;
    private long lastEpochDay = Long.MIN_VALUE;
    private LocalDate lastDay;

    Tally(AggregatorSettings settings) {
        this.settings = settings;
    }

    int events() {
        return events;
    }

    /** Adds an event of a batch whose segment is {@code segment} ({@link Segments#NONE} before segments). */
    void add(RawEvent e, ZoneId zone, int segment) {
        events++;
        // The local day and hour from the zone's offset at that instant: the same as atZone(zone), without building a
        // ZonedDateTime per event.
        long local = e.occurredAt().getEpochSecond() + zone.getRules().getOffset(e.occurredAt()).getTotalSeconds();
        long epochDay = Math.floorDiv(local, 86_400L);
        if (epochDay != lastEpochDay) {
            lastEpochDay = epochDay;
            lastDay = LocalDate.ofEpochDay(epochDay);
        }
        LocalDate day = lastDay;
        int hour = (int) (Math.floorMod(local, 86_400L) / 3600);
        PageDayCounts pageDay = pageDays.computeIfAbsent(new PageDayKey(e.siteId(), e.pageId(), e.device(), day), k -> new PageDayCounts());
        pageDay.documentHeight = Math.max(pageDay.documentHeight, e.documentHeight());
        pageDay.documentWidth = Math.max(pageDay.documentWidth, e.documentWidth());
        see(e, day, hour, segment);
        switch (e.kind()) {
            case "click" -> {
                pageDay.clicks++;
                int index = cellIndex(e); // once for both: every segment's rows and its own
                click(e, day, Segments.NONE, index);
                if (segment != Segments.NONE) click(e, day, segment, index);
                hours.computeIfAbsent(new HourKey(e.siteId(), e.pageId(), day, hour), k -> new int[2])[0]++;
            }
            case "move" -> {
                pageDay.moves++;
                int index = cellIndex(e);
                cell(e, day, Segments.NONE, index);
                if (segment != Segments.NONE) cell(e, day, segment, index);
            }
            case "scroll" -> {
                if (e.dwellMs() != null) {
                    attend(e, day, Segments.NONE);
                    if (segment != Segments.NONE) attend(e, day, segment);
                }
            }
            default -> throw new IllegalStateException("unknown event kind " + e.kind());
        }
    }

    /** {@code cell}: the click's cell index ({@link #cellIndex}). */
    private void click(RawEvent e, LocalDate day, int segment, int cell) {
        String selector = e.selector() == null ? "" : e.selector();
        if (selector.isEmpty()) {
            cell(e, day, segment, cell);
            return;
        }
        Target target = segment == Segments.NONE
                ? targets.computeIfAbsent(new TargetKey(e.siteId(), e.pageId(), e.device(), day, selector), k -> new Target())
                : segmentTargets.computeIfAbsent(new SegmentDayKey(e.siteId(), e.pageId(), e.device(), day, segment), k -> new HashMap<>())
                        .computeIfAbsent(selector, k -> new Target());
        target.cells.add(cell);
        if (e.fixed()) target.fixedCells.add(cell);
        target.clicks++;
        if (e.rage()) target.rage++;
        if (!e.interactive()) target.dead++;
        if (e.boxX() != null && e.boxY() != null) {
            int bins = settings.anchorBins();
            target.anchor(InBox.fine(e.boxX(), bins), InBox.fine(e.boxY(), bins), bins);
        }
    }

    /** A move, or a click on no element: into its band of the page's cells (a segment's: into its one row of them). */
    private void cell(RawEvent e, LocalDate day, int segment, int index) {
        int band = segment == Segments.NONE ? index / GridRows.CELL_ROW / GridRows.BAND_ROWS : GridRows.EVERY_BAND;
        tiles.computeIfAbsent(new TileKey(e.siteId(), e.pageId(), e.device(), e.kind(), day, segment, band), k -> new Occurrences()).add(index);
    }

    /**
     * Places the event on the device class's layout, as a cell index ({@link GridRows#CELL_ROW}). Page x is scaled from
     * the visitor's document width to the layout width (a centered element stays centered at any width); y stays:
     * pages reflow sideways, not downwards. Fixed clicks keep their viewport position, which places them on the first
     * screen of the page, where the screenshot shows fixed elements: in the upper half of the visitor's window as far
     * below its top (a header), in the lower half as far above its bottom (a "back to top" button, a cookie bar), so
     * that windows of any height agree with the screenshot's. Below the deepest grid row, events are kept in it (where
     * a reader draws them anyway).
     */
    private int cellIndex(RawEvent e) {
        int cellSize = settings.grid().cellSize();
        int layoutWidth = settings.grid().layoutWidth(e.device());
        int width = e.fixed() ? e.viewportWidth() : e.documentWidth();
        double x = width > 0 ? (double) e.x() * layoutWidth / width : e.x();
        int y = e.y();
        if (e.fixed() && y > e.viewportHeight() / 2) {
            y = DeviceClass.parse(e.device()).screenshotViewportHeight() - (e.viewportHeight() - y);
        }
        int cx = (int) Math.min(Math.max(x, 0), layoutWidth - 1) / cellSize;
        int cy = Math.min(Math.max(y, 0) / cellSize, HeatmapQuery.MAX_LAYOUT_HEIGHT / cellSize);
        return cy * GridRows.CELL_ROW + cx;
    }

    /** A timed depth sample: the bands of the page inside the viewport (bottom y, viewport height tall) get its time. */
    private void attend(RawEvent e, LocalDate day, int segment) {
        int band = settings.grid().bucketPx();
        int top = Math.max(e.y() - e.viewportHeight(), 0);
        // Bands whose middle was on screen.
        for (int b = top / band; b * band + band / 2.0 < e.y(); b++) {
            if (b * band + band / 2.0 >= top) {
                attention.merge(new BucketKey(e.siteId(), e.pageId(), e.device(), day, segment, b), (long) e.dwellMs(), Long::sum);
            }
        }
    }

    /**
     * Every event may be the page view's earliest (which sets its day, hour, device and viewport); scroll events push
     * its deepest point. A visitor who loaded the page saw its first screen, so that is the least depth.
     */
    private void see(RawEvent e, LocalDate day, int hour, int segment) {
        int firstScreen = Math.min(e.viewportHeight(), e.documentHeight());
        int y = e.kind().equals("scroll") ? Math.max(e.y(), firstScreen) : firstScreen;
        int percent = percent(y, e);
        boolean click = e.kind().equals("click");
        PageviewSeen known = pageviews.get(e.pageviewId());
        // Most events change nothing: not a click, not earlier than the page view's first, not deeper than its deepest.
        if (!click && known != null && !e.occurredAt().isBefore(known.firstSeen()) && y <= known.deepestY() && percent <= known.deepestPercent()) return;
        // Dead clicks as in element_day: on an element that is not interactive.
        boolean dead = click && e.selector() != null && !e.selector().isEmpty() && !e.interactive();
        PageviewSeen seen = new PageviewSeen(e.siteId(), e.pageviewId(), e.pageId(), e.occurredAt(), e.device(), day, hour,
                e.viewportHeight(), y, percent, segment, click ? 1 : 0, click && e.rage() ? 1 : 0, dead ? 1 : 0);
        pageviews.put(e.pageviewId(), known == null ? seen : known.merge(seen));
    }

    /** Depth as whole percent of the document: the collector's fraction for scroll events, else y over the height. */
    private static int percent(int y, RawEvent e) {
        double fraction = e.kind().equals("scroll") && e.depth() != null && y == e.y()
                ? e.depth()
                : e.documentHeight() > 0 ? (double) y / e.documentHeight() : 1;
        return (int) Math.min(Math.floor(fraction * 100 + 1e-9), 100);
    }
}
