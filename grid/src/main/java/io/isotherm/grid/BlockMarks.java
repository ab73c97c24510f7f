package io.isotherm.grid;

import io.isotherm.db.Columns;
import io.isotherm.grid.DayBlocks.Block;
import org.jdbi.v3.core.Handle;

import java.time.LocalDate;
import java.util.Collection;
import java.util.Comparator;
import java.util.TreeSet;

/** The marks in heat_block_dirty that an aggregation leaves for the refresh ({@link BlockRefresh}). */
public final class BlockMarks {
    /** A day of one page's counts of one kind, of every segment (0) or of one, that got a new part. */
    public record Day(int siteId, long pageId, String device, String kind, LocalDate day, int segment) {}

    private record Mark(int siteId, long pageId, String device, String kind, int span, LocalDate first, int segment) {}

    private static final Comparator<Mark> ORDER = Comparator.comparingInt(Mark::siteId).thenComparingLong(Mark::pageId)
            .thenComparing(Mark::device).thenComparing(Mark::kind).thenComparingInt(Mark::span).thenComparing(Mark::first)
            .thenComparingInt(Mark::segment);

    private BlockMarks() {
    }

    /**
     * Marks each day (its parts are to be summed) and every block above it (its rows no longer hold the sum). Called in
     * the aggregation transaction that added the parts. The upsert locks an existing mark until that transaction
     * commits, so a refresh cannot take it and build a block without these counts; marks are taken in one order by
     * every aggregator. (The update writes the same value: it is there for the lock.) A segment's own counts have
     * single days only (V18): their days are marked, no block.
     */
    public static void mark(Handle handle, Collection<Day> days) {
        TreeSet<Mark> marks = new TreeSet<>(ORDER);
        for (Day d : days) {
            marks.add(new Mark(d.siteId(), d.pageId(), d.device(), d.kind(), 1, d.day(), d.segment()));
            if (d.segment() != 0) continue;
            for (Block b : DayBlocks.above(d.day())) marks.add(new Mark(d.siteId(), d.pageId(), d.device(), d.kind(), b.span(), b.first(), 0));
        }
        if (marks.isEmpty()) return;
        Columns rows = new Columns("site", Integer.class, "page", Long.class, "device", String.class, "kind", String.class,
                "span", Short.class, "first", String.class, "segment", Integer.class);
        marks.forEach(m -> rows.add(m.siteId(), m.pageId(), m.device(), m.kind(), (short) m.span(), m.first().toString(), m.segment()));
        rows.bind(handle.createUpdate("""
                        INSERT INTO heat_block_dirty (site_id, page_id, device, kind, span, first_day, segment_id)
                        SELECT site, page, device::device_class, kind::event_kind, span, first::date, segment
                        FROM unnest(:site, :page, :device, :kind, :span, :first, :segment) AS r(site, page, device, kind, span, first, segment)
                        ON CONFLICT (site_id, page_id, device, kind, span, first_day, segment_id) DO UPDATE SET page_id = excluded.page_id"""))
                .execute();
    }
}
