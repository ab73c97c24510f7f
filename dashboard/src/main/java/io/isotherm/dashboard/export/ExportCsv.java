package io.isotherm.dashboard.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.grid.Heatmap;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The CSV tables of an export (RFC 4180, a header row naming each column with its unit; docs/API.md lists them). A
 * text cell that a spreadsheet would take for a formula (it starts with =, +, -, @, a tab or a carriage return) gets
 * a leading apostrophe: labels come from the captured page, whose text anyone on the web may have written.
 */
final class ExportCsv {
    static final List<String> ELEMENTS = List.of("selector", "label", "clicks", "share_pct", "rage_clicks", "dead_clicks",
            "x_px", "y_px", "width_px", "height_px");
    static final List<String> CELLS = List.of("x_px", "y_px", "cell_px", "count");
    static final List<String> SCROLL = List.of("y_px", "reached_pct", "seconds_in_view", "seconds_in_view_per_pageview");
    static final List<String> HOURS = List.of("weekday", "hour", "clicks", "pageviews");

    private final StringBuilder out = new StringBuilder();

    private ExportCsv(List<String> header) {
        row(header.toArray());
    }

    /** Every element clicked in the view, most clicks first; the box is on the page's current layout (blank when none). */
    static String elements(JsonNode report) {
        ExportCsv csv = new ExportCsv(ELEMENTS);
        for (JsonNode e : report.path("elements")) {
            JsonNode box = e.path("box");
            boolean placed = box.isObject();
            csv.row(text(e.path("selector")), text(e.path("label")), e.path("clicks").asLong(), pct(e.path("share").asDouble()),
                    e.path("rage").asLong(), e.path("dead").asLong(),
                    placed ? box.path("x").asInt() : null, placed ? box.path("y").asInt() : null,
                    placed ? box.path("width").asInt() : null, placed ? box.path("height").asInt() : null);
        }
        return csv.toString();
    }

    /** The cells with at least one event, row by row: the raw counts (not smoothed), at each cell's top-left corner. */
    static String cells(Heatmap map) {
        ExportCsv csv = new ExportCsv(CELLS);
        int[] counts = map.counts();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) continue;
            csv.row((i % map.columns()) * map.cellSize(), (i / map.columns()) * map.cellSize(), map.cellSize(), counts[i]);
        }
        return csv.toString();
    }

    /** At each bucket edge: the share of page views that reached it, and the time bands starting there were in view. */
    static String scroll(JsonNode scroll) {
        record Line(Double reached, Double seconds) {}
        TreeMap<Integer, Line> lines = new TreeMap<>();
        for (JsonNode p : scroll.path("reachPx")) lines.put(p.path("y").asInt(), new Line(p.path("share").asDouble(), null));
        for (JsonNode b : scroll.path("attention")) {
            int y = b.path("y").asInt();
            Line old = lines.get(y);
            lines.put(y, new Line(old == null ? null : old.reached(), b.path("visibleSeconds").asDouble()));
        }
        long pageviews = scroll.path("pageviews").asLong();
        ExportCsv csv = new ExportCsv(SCROLL);
        lines.forEach((y, line) -> csv.row(y, line.reached() == null ? null : pct(line.reached()),
                line.seconds() == null ? null : decimal(line.seconds(), 3),
                line.seconds() == null || pageviews == 0 ? null : decimal(line.seconds() / pageviews, 3)));
        return csv.toString();
    }

    /** 7 × 24 rows: Monday 0h … Sunday 23h, in the site's time zone, summed over the range. */
    static String hours(JsonNode calendar) {
        ExportCsv csv = new ExportCsv(HOURS);
        for (int d = 0; d < 7; d++) {
            String day = DayOfWeek.of(d + 1).getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            for (int h = 0; h < 24; h++) {
                csv.row(day, h, calendar.path("clicks").path(d).path(h).asLong(), calendar.path("pageviews").path(d).path(h).asLong());
            }
        }
        return csv.toString();
    }

    private void row(Object... cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) out.append(',');
            out.append(cell(cells[i]));
        }
        out.append("\r\n");
    }

    private static String cell(Object value) {
        if (value == null) return "";
        if (!(value instanceof String s)) return value.toString();
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) s = "'" + s;
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static String text(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    private static String pct(double share) {
        return decimal(share * 100, 4);
    }

    private static String decimal(double value, int places) {
        return BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
