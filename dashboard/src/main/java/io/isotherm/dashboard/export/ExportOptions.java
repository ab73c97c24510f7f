package io.isotherm.dashboard.export;

import io.isotherm.dashboard.ApiError;
import io.isotherm.dashboard.Params;
import io.isotherm.db.device.DeviceClass;
import io.isotherm.db.segment.SegmentFilter;

import java.util.List;
import java.util.function.Function;

/**
 * What to export, checked: each problem is a 400 naming its parameter (the command line prints the same message).
 * The range stays as given ({@code from}, {@code to}, null for the default) and is checked with the page.
 *
 * @param table   the CSV's table; ignored by PNG and HTML
 * @param sigma   null for the heatmap's default smoothing
 * @param segments the page views exported: those of a traffic segment, as the read API's segment parameters ask
 */
public record ExportOptions(String page, String map, String device, String from, String to, Format format, String table,
                            Double sigma, String palette, String scale, SegmentFilter segments) {
    public enum Format {
        PNG("image/png"), CSV("text/csv; charset=utf-8"), HTML("text/html; charset=utf-8");

        final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }

        String extension() {
            return name().toLowerCase();
        }
    }

    public static final List<String> MAPS = List.of("click", "move", "scroll", "attention");
    public static final List<String> FORMATS = List.of("png", "csv", "html");
    public static final List<String> TABLES = List.of("elements", "cells", "scroll", "hours");
    /** The viewer's palettes and scales (ui/palettes.js, ui/scales.js); the first is the default. */
    public static final List<String> PALETTES = List.of("viridis", "inferno", "magma", "ylorrd", "blues", "heat");
    public static final List<String> SCALES = List.of("linear", "log", "capped");

    /** The parameters an export takes, for the command line's and the API's documentation and tests. */
    public static final List<String> PARAMETERS = List.of("page", "map", "device", "from", "to", "format", "table", "sigma",
            "palette", "scale");

    /** From named values (query parameters or command-line options); absent or blank values are null. */
    public static ExportOptions parse(Function<String, String> parameters) {
        Read read = new Read(parameters);
        String page = read.optional("page");
        if (page == null) throw ApiError.badParameter("page", "page is required: the page's URL");
        if (read.optional("format") == null) throw ApiError.badParameter("format", "format is required: " + String.join(", ", FORMATS));
        Format format = Format.valueOf(read.oneOf("format", FORMATS).toUpperCase());
        return new ExportOptions(page, read.oneOf("map", MAPS), read.oneOf("device", DeviceClass.NAMES),
                read.optional("from"), read.optional("to"), format, read.oneOf("table", TABLES), Params.sigma(read.optional("sigma")),
                read.oneOf("palette", PALETTES), read.oneOf("scale", SCALES), SegmentFilter.from(parameters::apply));
    }

    /** A click or move heatmap (a grid of cells), not a band map. */
    public boolean density() {
        return map.equals("click") || map.equals("move");
    }

    private record Read(Function<String, String> parameters) {
        /** null when absent or blank (an empty form field). */
        String optional(String name) {
            String value = parameters.apply(name);
            if (value != null && value.indexOf('\0') >= 0) throw ApiError.badParameter(name, name + " must not contain a NUL character");
            return value == null || value.isBlank() ? null : value.trim();
        }

        /** The first value listed (the default) when absent. */
        String oneOf(String name, List<String> values) {
            String value = optional(name);
            if (value == null) return values.get(0);
            if (!values.contains(value)) throw ApiError.badParameter(name, name + " must be " + String.join(", ", values));
            return value;
        }
    }
}
