package io.isotherm.dashboard;

import io.isotherm.db.device.DeviceClass;
import io.isotherm.db.segment.SegmentFilter;
import io.isotherm.grid.HeatmapQuery;
import io.javalin.http.Context;

import java.time.LocalDate;
import java.util.List;

/** The read API's query parameters, parsed and checked: each problem is a 400 naming its parameter. */
public final class Params {
    static final List<String> KINDS = List.of("click", "move");
    /** The parameters of the pages list's search, order and slice; without any of them, the list is the whole one. */
    static final List<String> LISTING = List.of("q", "sort", "order", "limit", "offset");
    static final int DEFAULT_LIMIT = 100, MAX_LIMIT = 500, MAX_SEARCH = 200;

    private final Context ctx;

    public Params(Context ctx) {
        this.ctx = ctx;
    }

    /** The traffic segments asked for (docs/API.md, "Segments"): every page view when none is named. */
    SegmentFilter segments() {
        return SegmentFilter.from(ctx::queryParam);
    }

    /** The page URL as the tracker saw it; required. */
    public String page() {
        String page = optional("page");
        if (page == null) throw ApiError.badParameter("page", "page is required: the page's URL");
        return page;
    }

    public String device() {
        return oneOf("device", DeviceClass.NAMES);
    }

    /** The device class, or null when absent: every device class. */
    public String deviceOrAll() {
        return optional("device") == null ? null : device();
    }

    String kind() {
        return oneOf("kind", KINDS);
    }

    /** null for the heatmap's default. */
    Double sigma() {
        return sigma(optional("sigma"));
    }

    /** A smoothing radius parameter's value: null (absent) for the heatmap's default, else px within the bounds. */
    public static Double sigma(String text) {
        if (text == null) return null;
        double sigma;
        try {
            sigma = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            sigma = Double.NaN;
        }
        if (!(sigma >= HeatmapQuery.MIN_SIGMA_PX && sigma <= HeatmapQuery.MAX_SIGMA_PX)) {
            throw ApiError.badParameter("sigma", "sigma must be a number of px from %d to %d".formatted(
                    (int) HeatmapQuery.MIN_SIGMA_PX, (int) HeatmapQuery.MAX_SIGMA_PX));
        }
        return sigma;
    }

    boolean raw() {
        String raw = optional("raw");
        if (raw == null || raw.equals("false")) return false;
        if (raw.equals("true")) return true;
        throw ApiError.badParameter("raw", "raw must be true or false");
    }

    /** {@code from} and {@code to}; by default the last 30 days ending {@code today}, the site's today. */
    public DateRange range(LocalDate today) {
        return DateRange.parse(optional("from"), optional("to"), today);
    }

    /**
     * The pages list's {@code q}, {@code sort}, {@code order}, {@code limit} and {@code offset}; null when the request
     * has none of them (even empty): old clients get the whole list, as before these parameters existed.
     */
    PageReport.Listing pageListing() {
        if (LISTING.stream().noneMatch(name -> ctx.queryParam(name) != null)) return null;
        String search = optional("q");
        if (search != null && search.length() > MAX_SEARCH) {
            throw ApiError.badParameter("q", "q must be at most " + MAX_SEARCH + " characters");
        }
        PageReport.Sort sort = PageReport.Sort.of(oneOf("sort", PageReport.Sort.parameters()));
        String order = optional("order");
        if (order != null && !List.of("asc", "desc").contains(order)) {
            throw ApiError.badParameter("order", "order must be asc or desc");
        }
        boolean descending = order == null ? sort.descendingByDefault : order.equals("desc");
        int limit = integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int offset = integer("offset", 0, 0, Integer.MAX_VALUE);
        return new PageReport.Listing(search, sort, descending, limit, offset);
    }

    /** A whole number from min to max; {@code fallback} when absent. */
    private int integer(String name, int fallback, int min, int max) {
        String text = optional(name);
        if (text == null) return fallback;
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) return value;
        } catch (NumberFormatException e) {
            // the same answer as a number out of range
        }
        throw ApiError.badParameter(name, max == Integer.MAX_VALUE
                ? name + " must be a whole number of at least " + min
                : name + " must be a whole number from " + min + " to " + max);
    }

    /** The first value listed (the default) when absent. */
    private String oneOf(String name, List<String> values) {
        String value = optional(name);
        if (value == null) return values.get(0);
        if (!values.contains(value)) throw ApiError.badParameter(name, name + " must be " + String.join(" or ", values));
        return value;
    }

    /** A parameter's value, or null when it is absent or blank (an empty form field). */
    public String optional(String name) {
        String value = ctx.queryParam(name);
        if (value != null && value.indexOf('\0') >= 0) { // no PostgreSQL text can hold it
            throw ApiError.badParameter(name, name + " must not contain a NUL character");
        }
        return value == null || value.isBlank() ? null : value.trim();
    }
}
