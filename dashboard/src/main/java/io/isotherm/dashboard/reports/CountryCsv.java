package io.isotherm.dashboard.reports;

import java.util.List;
import java.util.Locale;

/**
 * The countries report as CSV (RFC 4180): one row per country, most page views first, then a row for page views of a
 * time zone of no country ("unknown") and one for those aggregated before countries were recorded ("not_recorded"),
 * each only when it has page views. Cells are quoted when they must be; a cell a spreadsheet would read as a formula
 * gets a leading apostrophe (page URLs come from visitors' browsers).
 */
final class CountryCsv {
    static final List<String> HEADER = List.of("country", "numeric", "name", "pageviews", "clicks", "reach_pct", "top_page");

    private CountryCsv() {
    }

    static String of(CountryReport.Report report) {
        StringBuilder out = new StringBuilder();
        row(out, HEADER);
        for (CountryReport.Country c : report.countries()) {
            row(out, List.of(c.code(), Integer.toString(c.numeric()), c.name(), Long.toString(c.pageviews()),
                    Long.toString(c.clicks()), reach(c.reach()), c.topPage() == null ? "" : c.topPage()));
        }
        other(out, "unknown", "Unknown (time zone of no country)", report.unknown());
        other(out, "not_recorded", "Not recorded (aggregated before countries were)", report.notRecorded());
        return out.toString();
    }

    private static void other(StringBuilder out, String code, String name, CountryReport.Totals totals) {
        if (totals.pageviews() == 0) return;
        row(out, List.of(code, "", name, Long.toString(totals.pageviews()), Long.toString(totals.clicks()),
                reach(totals.reach()), ""));
    }

    /** One decimal, as the table shows it. */
    private static String reach(Double percent) {
        return percent == null ? "" : String.format(Locale.ROOT, "%.1f", percent);
    }

    private static void row(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) out.append(',');
            out.append(cell(cells.get(i)));
        }
        out.append("\r\n");
    }

    private static String cell(String value) {
        String v = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 && !value.matches("-?\\d+(\\.\\d+)?")
                ? "'" + value : value;
        boolean quoted = v.chars().anyMatch(ch -> ch == '"' || ch == ',' || ch == '\r' || ch == '\n');
        return quoted ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }
}
