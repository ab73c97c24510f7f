package io.isotherm.dashboard;

import io.isotherm.aggregator.HeatmapQuery;
import io.javalin.http.Context;

import java.time.LocalDate;
import java.util.List;

/** The read API's query parameters, parsed and checked: each problem is a 400 naming its parameter. */
final class Params {
    static final List<String> DEVICES = List.of("desktop", "tablet", "mobile");
    static final List<String> KINDS = List.of("click", "move");

    private final Context ctx;

    Params(Context ctx) {
        this.ctx = ctx;
    }

    /** The page URL as the tracker saw it; required. */
    String page() {
        String page = optional("page");
        if (page == null) throw ApiError.badParameter("page", "page is required: the page's URL");
        return page;
    }

    String device() {
        return oneOf("device", DEVICES);
    }

    /** The device class, or null when absent: every device class. */
    String deviceOrAll() {
        return optional("device") == null ? null : device();
    }

    String kind() {
        return oneOf("kind", KINDS);
    }

    /** null for the heatmap's default. */
    Double sigma() {
        String text = optional("sigma");
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
    DateRange range(LocalDate today) {
        return DateRange.parse(optional("from"), optional("to"), today);
    }

    /** The first value listed (the default) when absent. */
    private String oneOf(String name, List<String> values) {
        String value = optional(name);
        if (value == null) return values.get(0);
        if (!values.contains(value)) throw ApiError.badParameter(name, name + " must be " + String.join(" or ", values));
        return value;
    }

    /** A parameter's value, or null when it is absent or blank (an empty form field). */
    private String optional(String name) {
        String value = ctx.queryParam(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
