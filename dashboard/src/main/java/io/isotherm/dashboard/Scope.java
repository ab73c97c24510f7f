package io.isotherm.dashboard;

import io.isotherm.db.segment.SegmentFilter;
import org.jdbi.v3.core.Handle;

import java.time.LocalDate;

/**
 * What a page report covers: one page of a site, one device class, a range of days in the site's time zone, and the
 * page views of which traffic segments ({@link SegmentFilter#ALL}: every page view).
 */
record Scope(int siteId, long pageId, String device, LocalDate from, LocalDate to, SegmentFilter segments) {
    Scope(int siteId, long pageId, String device, LocalDate from, LocalDate to) {
        this(siteId, pageId, device, from, to, SegmentFilter.ALL);
    }

    boolean filtered() {
        return !segments.isAll();
    }

    /** The segment ids whose rows the report reads: 0 (every segment together) when not filtered. */
    int[] segmentIds(Handle h) {
        return filtered() ? segments.segmentIds(h, siteId) : new int[] {0};
    }
}
