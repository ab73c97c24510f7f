package io.isotherm.dashboard.reports;

import io.isotherm.dashboard.DateRange;
import io.isotherm.dashboard.Params;
import io.isotherm.dashboard.ReadSnapshot;
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

/**
 * {@code GET /api/sites/{site}/countries} and {@code countries.csv}: the countries report (docs/API.md) for a range,
 * a device class or all, one page or the whole site, and any segment filter; read in one snapshot.
 */
public final class CountryApi {
    private final Jdbi jdbi;
    private final SiteLookup lookup;
    private final CountryReport report = new CountryReport();
    private final Clock clock;

    /** @param clock decides "today" for the default range */
    public CountryApi(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.lookup = new SiteLookup(jdbi);
        this.clock = clock;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/api/sites/{site}/countries", ctx -> ctx.json(report(ctx)), Access.SITE_READ);
        config.routes.get("/api/sites/{site}/countries.csv", ctx -> {
            CountryReport.Report answer = report(ctx);
            ctx.header("Content-Disposition", "attachment; filename=\"countries-%s-%s.csv\"".formatted(answer.from(), answer.to()))
                    .contentType("text/csv; charset=utf-8").result(CountryCsv.of(answer));
        }, Access.SITE_READ);
    }

    /** Parameters first (400 naming the bad one), then the page (404 when unknown), then the report. */
    private CountryReport.Report report(Context ctx) {
        Site site = SiteAccess.site(ctx);
        Params params = new Params(ctx);
        String device = params.deviceOrAll();
        DateRange range = params.range(LocalDate.now(clock.withZone(ZoneId.of(site.timeZone()))));
        SegmentFilter filter = SegmentFilter.from(ctx::queryParam);
        String page = ctx.queryParam("page");
        Long pageId = page == null || page.isBlank() ? null : lookup.page(site, params.page());
        var selection = new CountryReport.Selection(site.id(), pageId, device, range.from(), range.to(), filter);
        return ReadSnapshot.read(jdbi, h -> report.report(h, selection));
    }
}
