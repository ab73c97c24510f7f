package io.isotherm.collector;

import io.isotherm.db.segment.SegmentFilter;

/**
 * What a batch says of its page view's visit, as ingest_batch stores it: classes and short values, never the
 * visitor. Every batch of a page view carries the same values (the tracker captures them when the page view starts).
 *
 * @param referrer    one of {@link SegmentFilter#REFERRERS}, derived from the referrer's host (never stored itself)
 * @param utmSource   the landing URL's utm_source, cleaned ({@link Campaign}); null when absent
 * @param utmMedium   the landing URL's utm_medium, likewise
 * @param utmCampaign the landing URL's utm_campaign, likewise
 * @param variant     the experiment variant the page set (data-variant), null when none
 * @param browser     a browser family ({@link UserAgentFamilies}), derived from the user agent (never stored itself)
 * @param os          an OS family, likewise
 */
record Visit(String referrer, String utmSource, String utmMedium, String utmCampaign, String variant, String browser, String os) {
}
