package io.isotherm.db.site;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a site's owner may set: everything of {@link Site} but its id and key. Built through {@link #checked}, which
 * normalizes origins and path patterns and refuses a bad value with the field it concerns.
 */
public record SiteSettings(String name, List<String> origins, List<String> pageQueryParams, String timeZone,
                           List<String> excludedPaths, Integer mobileBelow, Integer tabletBelow, Integer retentionDays) {
    private static final Pattern QUERY_PARAM = Pattern.compile("[A-Za-z0-9._~-]{1,100}");

    public SiteSettings {
        origins = List.copyOf(origins);
        pageQueryParams = List.copyOf(pageQueryParams);
        excludedPaths = List.copyOf(excludedPaths);
    }

    /** The settings of an existing site, to change one field with the {@code with…} methods. */
    public static SiteSettings of(Site site) {
        return new SiteSettings(site.name(), site.origins(), site.pageQueryParams(), site.timeZone(), site.excludedPaths(),
                site.mobileBelow(), site.tabletBelow(), site.retentionDays());
    }

    /** Checked and normalized; null lists count as empty, a null time zone as UTC. */
    public static SiteSettings checked(String name, List<String> origins, List<String> pageQueryParams, String timeZone,
                                       List<String> excludedPaths, Integer mobileBelow, Integer tabletBelow, Integer retentionDays) {
        if (name == null || name.isBlank()) throw new InvalidSiteSetting("name", "name is required");
        if (name.trim().length() > 200) throw new InvalidSiteSetting("name", "name is longer than 200 characters");
        if (origins == null || origins.isEmpty()) {
            throw new InvalidSiteSetting("origins", "origins needs at least one origin, like https://shop.example");
        }
        if (origins.size() > 100) throw new InvalidSiteSetting("origins", "origins has more than 100 entries");
        List<String> normalizedOrigins = new ArrayList<>();
        for (String origin : origins) {
            try {
                String normalized = Origins.normalize(origin == null ? "" : origin);
                if (!normalizedOrigins.contains(normalized)) normalizedOrigins.add(normalized);
            } catch (IllegalArgumentException e) {
                throw new InvalidSiteSetting("origins", e.getMessage());
            }
        }
        List<String> params = pageQueryParams == null ? List.of() : pageQueryParams.stream().map(p -> p == null ? "" : p.trim()).distinct().toList();
        for (String param : params) {
            if (!QUERY_PARAM.matcher(param).matches()) {
                throw new InvalidSiteSetting("keepQuery", "a query parameter name is letters, digits, '.', '_', '~' or '-', got '" + param + "'");
            }
        }
        String zone = timeZone == null || timeZone.isBlank() ? "UTC" : timeZone.trim();
        try {
            zone = ZoneId.of(zone).getId();
        } catch (DateTimeException e) {
            throw new InvalidSiteSetting("timeZone", "timeZone must be a time zone like Europe/Berlin, got '" + timeZone + "'");
        }
        List<String> paths = new ArrayList<>();
        for (String path : excludedPaths == null ? List.<String>of() : excludedPaths) {
            try {
                String normalized = PathPatterns.normalize(path == null ? "" : path);
                if (!paths.contains(normalized)) paths.add(normalized);
            } catch (IllegalArgumentException e) {
                throw new InvalidSiteSetting("excludedPaths", e.getMessage());
            }
        }
        if (paths.size() > 100) throw new InvalidSiteSetting("excludedPaths", "excludedPaths has more than 100 entries");
        checkRange("mobileBelow", mobileBelow, 200, 4000);
        checkRange("tabletBelow", tabletBelow, 200, 4000);
        if (mobileBelow != null && tabletBelow != null && mobileBelow >= tabletBelow) {
            throw new InvalidSiteSetting("tabletBelow", "tabletBelow must be larger than mobileBelow");
        }
        checkRange("retentionDays", retentionDays, 3, 3650);
        return new SiteSettings(name.trim(), normalizedOrigins, params, zone, paths, mobileBelow, tabletBelow, retentionDays);
    }

    private static void checkRange(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw new InvalidSiteSetting(field, field + " must be from " + min + " to " + max + ", or empty for the platform's setting");
        }
    }
}
