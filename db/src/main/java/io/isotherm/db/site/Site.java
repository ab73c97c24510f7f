package io.isotherm.db.site;

import java.util.List;

/**
 * A tracked website. {@code publicKey} goes into the script tag; it identifies, it does not authorise.
 *
 * @param excludedPaths   path patterns ({@code /admin/*}) whose page views are not recorded
 * @param mobileBelow     this site's phone threshold in CSS px, or null for the platform's
 * @param tabletBelow     this site's tablet threshold, or null for the platform's
 * @param retentionDays   days of raw events kept for this site, or null for the platform's
 */
public record Site(int id, String publicKey, String name, List<String> origins, List<String> pageQueryParams, String timeZone,
                   List<String> excludedPaths, Integer mobileBelow, Integer tabletBelow, Integer retentionDays) {
    public Site {
        origins = List.copyOf(origins);
        pageQueryParams = List.copyOf(pageQueryParams);
        excludedPaths = List.copyOf(excludedPaths);
    }

    /** A site with the platform's settings for everything but its key, name, origins, query parameters and time zone. */
    public Site(int id, String publicKey, String name, List<String> origins, List<String> pageQueryParams, String timeZone) {
        this(id, publicKey, name, origins, pageQueryParams, timeZone, List.of(), null, null, null);
    }

    /** True when a page with this path is excluded from recording. */
    public boolean excludes(String path) {
        for (String pattern : excludedPaths) {
            if (PathPatterns.matches(pattern, path)) return true;
        }
        return false;
    }
}
