package io.isotherm.grid;

import io.isotherm.db.Columns;
import org.jdbi.v3.core.Handle;

import java.time.LocalDate;
import java.util.Collection;
import java.util.Comparator;
import java.util.TreeSet;

/** The marks in heat_block_dirty that an aggregation leaves for the refresh ({@link BlockRefresh}): days with new parts. */
public final class BlockMarks {
    /** A day of one page's counts of one kind, of every segment (0) or of one, that got a new part. */
    public record Day(int siteId, long pageId, String device, String kind, LocalDate day, int segment) {}

    private static final Comparator<Day> ORDER = Comparator.comparingInt(Day::siteId).thenComparingLong(Day::pageId)
            .thenComparing(Day::device).thenComparing(Day::kind).thenComparingInt(Day::segment).thenComparing(Day::day);

    private BlockMarks() {
    }

    /**
     * Marks each day (its parts are to be added to the rows). Called in the aggregation transaction that added the
     * parts. The upsert locks an existing mark until that transaction commits, so a refresh cannot take it and miss
     * these counts; marks are taken in one order by every aggregator. (The update writes the same value: it is there
     * for the lock.) The span of a mark is always 1 (V20).
     */
    public static void mark(Handle handle, Collection<Day> days) {
        TreeSet<Day> marks = new TreeSet<>(ORDER);
        marks.addAll(days);
        if (marks.isEmpty()) return;
        Columns rows = new Columns("site", Integer.class, "page", Long.class, "device", String.class, "kind", String.class,
                "first", String.class, "segment", Integer.class);
        marks.forEach(m -> rows.add(m.siteId(), m.pageId(), m.device(), m.kind(), m.day().toString(), m.segment()));
        rows.bind(handle.createUpdate("""
                        INSERT INTO heat_block_dirty (site_id, page_id, device, kind, span, first_day, segment_id)
                        SELECT site, page, device::device_class, kind::event_kind, 1, first::date, segment
                        FROM unnest(:site, :page, :device, :kind, :first, :segment) AS r(site, page, device, kind, first, segment)
                        ON CONFLICT (site_id, page_id, device, kind, span, first_day, segment_id) DO UPDATE SET page_id = excluded.page_id"""))
                .execute();
    }
}
