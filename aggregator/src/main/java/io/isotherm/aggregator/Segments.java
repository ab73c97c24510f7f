package io.isotherm.aggregator;

import io.isotherm.db.Columns;
import io.isotherm.db.segment.Countries;
import org.jdbi.v3.core.Handle;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The segment of a batch: its stored values (ingest_batch, V17) and the country of its time zone, as a row of the
 * site's segment table, added the first time a run meets that combination.
 */
final class Segments {
    /** Page views and counts of batches stored before segments were recorded. */
    static final int NONE = 0;

    /** A batch's segment values, '' where absent. */
    record Values(String referrer, String utmSource, String utmMedium, String utmCampaign, String variant,
                  String browser, String os, String country) {

        /** The values of a stored batch, or null for a batch stored before segments (its referrer is NULL). */
        static Values of(String referrer, String utmSource, String utmMedium, String utmCampaign, String variant,
                         String browser, String os, String timeZone) {
            if (referrer == null) return null;
            return new Values(referrer, blank(utmSource), blank(utmMedium), blank(utmCampaign), blank(variant),
                    blank(browser), blank(os), Countries.ofZone(timeZone));
        }

        private static String blank(String value) {
            return value == null ? "" : value;
        }
    }

    private static final Comparator<Values> ORDER = Comparator.comparing(Values::referrer).thenComparing(Values::utmSource)
            .thenComparing(Values::utmMedium).thenComparing(Values::utmCampaign).thenComparing(Values::variant)
            .thenComparing(Values::browser).thenComparing(Values::os).thenComparing(Values::country);

    private Segments() {}

    /**
     * The ids of a site's combinations, added where new. Inserted in one order by every run, so two runs that add
     * the same new combinations wait for each other instead of deadlocking; the loser of a race reads the winner's id.
     */
    static Map<Values, Integer> ids(Handle handle, int site, Collection<Values> values) {
        List<Values> sorted = values.stream().distinct().sorted(ORDER).toList();
        Map<Values, Integer> ids = new HashMap<>();
        if (sorted.isEmpty()) return ids;
        Columns rows = new Columns("referrer", String.class, "source", String.class, "medium", String.class,
                "campaign", String.class, "variant", String.class, "browser", String.class, "os", String.class,
                "country", String.class);
        sorted.forEach(v -> rows.add(v.referrer(), v.utmSource(), v.utmMedium(), v.utmCampaign(), v.variant(), v.browser(), v.os(), v.country()));
        rows.bind(handle.createUpdate("""
                        INSERT INTO segment (site_id, referrer, utm_source, utm_medium, utm_campaign, variant, browser, os, country)
                        SELECT :site, referrer, source, medium, campaign, variant, browser, os, country
                        FROM unnest(:referrer, :source, :medium, :campaign, :variant, :browser, :os, :country)
                             WITH ORDINALITY AS v(referrer, source, medium, campaign, variant, browser, os, country, n)
                        ORDER BY n
                        ON CONFLICT DO NOTHING"""))
                .bind("site", site)
                .execute();
        rows.bind(handle.createQuery("""
                        SELECT s.segment_id, s.referrer, s.utm_source, s.utm_medium, s.utm_campaign, s.variant, s.browser, s.os, s.country
                        FROM segment s
                        JOIN unnest(:referrer, :source, :medium, :campaign, :variant, :browser, :os, :country)
                             AS v(referrer, source, medium, campaign, variant, browser, os, country)
                          ON s.referrer = v.referrer AND s.utm_source = v.source AND s.utm_medium = v.medium
                         AND s.utm_campaign = v.campaign AND s.variant = v.variant AND s.browser = v.browser
                         AND s.os = v.os AND s.country = v.country
                        WHERE s.site_id = :site"""))
                .bind("site", site)
                .map((rs, ctx) -> Map.entry(new Values(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)), rs.getInt(1)))
                .forEach(e -> ids.put(e.getKey(), e.getValue()));
        return ids;
    }
}
