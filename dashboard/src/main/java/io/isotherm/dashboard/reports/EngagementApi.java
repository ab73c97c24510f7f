package io.isotherm.dashboard.reports;

import io.isotherm.dashboard.ApiError;
import io.isotherm.dashboard.DateRange;
import io.isotherm.dashboard.Params;
import io.isotherm.dashboard.SiteLookup;
import io.isotherm.dashboard.access.Access;
import io.isotherm.dashboard.access.SiteAccess;
import io.isotherm.db.segment.SegmentFilter;
import io.isotherm.db.site.Site;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code GET /api/sites/{site}/engagement} (JSON) and {@code …/engagement.csv} (the same numbers as a table): the
 * engagement grids of {@link EngagementReport} (docs/API.md). The site is checked first (by the guard), then the
 * parameters, then the page.
 */
public final class EngagementApi {
    static final int DEFAULT_PAGES = 10, MAX_PAGES = 50;

    private final EngagementReport report;
    private final SiteLookup lookup;
    private final Clock clock;

    /** @param clock decides "today" for the default date range */
    public EngagementApi(Jdbi jdbi, Clock clock) {
        this.report = new EngagementReport(jdbi);
        this.lookup = new SiteLookup(jdbi);
        this.clock = clock;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/api/sites/{site}/engagement", ctx -> ctx.json(json(grid(ctx))), Access.SITE_READ);
        config.routes.get("/api/sites/{site}/engagement.csv", this::csv, Access.SITE_READ);
    }

    /** A grid and what it was asked for. */
    private record Answer(Site site, EngagementReport.Request request, String page, EngagementReport.Result result) {}

    private Answer grid(Context ctx) {
        Site site = SiteAccess.site(ctx);
        Params params = new Params(ctx);
        EngagementReport.Grid grid = oneOf(params, "grid", EngagementReport.Grid.values(), g -> g.parameter);
        EngagementReport.Metric metric = oneOf(params, "metric", EngagementReport.Metric.values(), m -> m.parameter);
        int pages = pages(params);
        String device = params.deviceOrAll();
        DateRange range = params.range(LocalDate.now(clock.withZone(ZoneId.of(site.timeZone()))));
        SegmentFilter filter = SegmentFilter.from(ctx::queryParam);
        String page = params.optional("page");
        Long pageId = page == null ? null : lookup.page(site, page);
        var request = new EngagementReport.Request(site.id(), grid, metric, range, device, pageId, pages, filter);
        return new Answer(site, request, page, report.grid(request));
    }

    private static Map<String, Object> json(Answer a) {
        EngagementReport.Request r = a.request();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", a.result().version());
        body.put("grid", r.grid().parameter);
        body.put("metric", r.metric().parameter);
        body.put("page", a.page());
        body.put("device", r.device());
        body.put("from", r.range().from().toString());
        body.put("to", r.range().to().toString());
        body.put("timeZone", a.site().timeZone());
        body.put("rows", a.result().rows());
        body.put("columns", a.result().columns());
        body.put("values", a.result().values());
        body.put("pageviews", a.result().pageviews());
        return body;
    }

    /** RFC 4180 with CRLF line ends: the row label, then one column per column label; blank where a mean has no page view. */
    private void csv(Context ctx) {
        Answer a = grid(ctx);
        EngagementReport.Request r = a.request();
        StringBuilder out = new StringBuilder();
        row(out, r.grid() == EngagementReport.Grid.WEEKDAY_HOUR ? "weekday" : "page", a.result().columns());
        for (int i = 0; i < a.result().rows().size(); i++) {
            row(out, a.result().rows().get(i), Arrays.stream(a.result().values()[i])
                    .map(v -> v == null ? "" : v.toString()).toList());
        }
        String name = "isotherm-%s-%s-%s-%s.csv".formatted(r.grid().parameter, r.metric().parameter,
                r.range().from(), r.range().to());
        ctx.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
        ctx.contentType("text/csv; charset=utf-8").result(out.toString());
    }

    private static void row(StringBuilder out, String label, List<String> cells) {
        out.append(cell(label));
        for (String c : cells) out.append(',').append(cell(c));
        out.append("\r\n");
    }

    /**
     * Quoted when it holds a comma, quote or line end; a text a spreadsheet would take for a formula gets a leading
     * apostrophe (a page URL is whatever visitors' browsers sent).
     */
    private static String cell(String text) {
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) text = "'" + text;
        boolean quoted = text.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n');
        return quoted ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }

    private static int pages(Params params) {
        String text = params.optional("pages");
        if (text == null) return DEFAULT_PAGES;
        try {
            int pages = Integer.parseInt(text);
            if (pages >= 1 && pages <= MAX_PAGES) return pages;
        } catch (NumberFormatException e) {
            // the same answer as a number out of range
        }
        throw ApiError.badParameter("pages", "pages must be a whole number from 1 to " + MAX_PAGES);
    }

    private static <T> T oneOf(Params params, String name, T[] values, Function<T, String> parameter) {
        String value = params.optional(name);
        if (value == null) return values[0];
        return Arrays.stream(values).filter(v -> parameter.apply(v).equals(value)).findFirst()
                .orElseThrow(() -> ApiError.badParameter(name, name + " must be " + String.join(" or ",
                        Arrays.stream(values).map(parameter).toList())));
    }
}
