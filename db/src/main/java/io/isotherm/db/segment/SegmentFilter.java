package io.isotherm.db.segment;

import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Which page views a report counts, by their segment: each dimension absent (any value) or one value, '' meaning
 * "none" (no campaign, no variant, unknown country). Read from the query parameters of the same names.
 */
public record SegmentFilter(Map<String, String> values) {
    /** The dimensions, as query parameters and as columns of the segment table. */
    public static final List<String> DIMENSIONS =
            List.of("referrer", "utm_source", "utm_medium", "utm_campaign", "variant", "browser", "os", "country");
    /** The referrer classes the collector derives. */
    public static final List<String> REFERRERS = List.of("direct", "search", "social", "email", "other", "internal");
    /** The longest value a campaign or variant may have (longer ones are cut by the collector). */
    public static final int MAX_VALUE_LENGTH = 100;

    public static final SegmentFilter ALL = new SegmentFilter(Map.of());

    public SegmentFilter {
        values = Map.copyOf(values);
    }

    /**
     * The filter a request asks for through {@code param} (a query parameter's value, or null when absent).
     *
     * @throws InvalidSegmentFilter naming the parameter, for an unknown referrer class, a malformed country or a
     *                              value longer than {@link #MAX_VALUE_LENGTH}
     */
    public static SegmentFilter from(UnaryOperator<String> param) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String dimension : DIMENSIONS) {
            String value = param.apply(dimension);
            if (value == null) continue;
            if (value.indexOf('\0') >= 0) throw new InvalidSegmentFilter(dimension, dimension + " must not contain a NUL character");
            if (value.length() > MAX_VALUE_LENGTH) {
                throw new InvalidSegmentFilter(dimension, dimension + " must be at most " + MAX_VALUE_LENGTH + " characters");
            }
            if (dimension.equals("referrer") && !REFERRERS.contains(value)) {
                throw new InvalidSegmentFilter(dimension, "referrer must be one of " + String.join(", ", REFERRERS));
            }
            if (dimension.equals("country") && !value.isEmpty() && !value.matches("[A-Z]{2}")) {
                throw new InvalidSegmentFilter(dimension, "country must be an ISO 3166-1 alpha-2 code such as FR, or empty for unknown");
            }
            values.put(dimension, value);
        }
        return new SegmentFilter(values);
    }

    public boolean isAll() {
        return values.isEmpty();
    }

    /**
     * The site's segments this filter matches. Only meaningful when not {@link #isAll()}: page views aggregated
     * before segments were recorded (segment 0) match no filter.
     */
    public int[] segmentIds(Handle handle, int siteId) {
        List<String> conditions = new ArrayList<>();
        values.keySet().forEach(d -> conditions.add(d + " = :" + d));
        var query = handle.createQuery("SELECT segment_id FROM segment WHERE site_id = :site"
                        + (conditions.isEmpty() ? "" : " AND " + String.join(" AND ", conditions)) + " ORDER BY segment_id")
                .bind("site", siteId);
        values.forEach(query::bind);
        return query.mapTo(Integer.class).list().stream().mapToInt(Integer::intValue).toArray();
    }

    /** The filter as query parameters, for links and exports ("" when all). */
    public String queryString() {
        StringBuilder query = new StringBuilder();
        DIMENSIONS.stream().filter(values::containsKey).forEach(d -> query.append(query.length() == 0 ? "" : "&")
                .append(d).append('=').append(java.net.URLEncoder.encode(values.get(d), java.nio.charset.StandardCharsets.UTF_8)));
        return query.toString();
    }
}
