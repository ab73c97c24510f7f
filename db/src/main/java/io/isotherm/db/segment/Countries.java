package io.isotherm.db.segment;

import com.ibm.icu.util.Region;
import com.ibm.icu.util.TimeZone;
import com.ibm.icu.util.ULocale;

/**
 * A visitor's country, by the IANA time zone their browser reports: no address is read. The zone-to-country table
 * is the tz database's, as ICU keeps it (links such as {@code US/Eastern} and {@code Asia/Calcutta} included); zones
 * of no country ({@code UTC}, {@code Etc/GMT+5}) have none.
 */
public final class Countries {
    /** The value stored for a page view whose time zone names no country. */
    public static final String UNKNOWN = "";

    private Countries() {}

    /** The ISO 3166-1 alpha-2 code of the zone's country, or {@link #UNKNOWN}. */
    public static String ofZone(String zone) {
        if (zone == null || zone.isEmpty()) return UNKNOWN;
        try {
            String region = TimeZone.getRegion(zone);
            return region.length() == 2 && Character.isLetter(region.charAt(0)) ? region : UNKNOWN; // "001": the world
        } catch (IllegalArgumentException unknownZone) {
            return UNKNOWN;
        }
    }

    /** The ISO 3166-1 numeric code (the world maps' feature id), or -1 when the code is not a known region. */
    public static int numeric(String alpha2) {
        try {
            return Region.getInstance(alpha2).getNumericCode();
        } catch (IllegalArgumentException unknown) {
            return -1;
        }
    }

    /** The country's English name, for tables and tooltips. */
    public static String name(String alpha2) {
        return alpha2.isEmpty() ? "Unknown" : new ULocale("", alpha2).getDisplayCountry(ULocale.ENGLISH);
    }
}
