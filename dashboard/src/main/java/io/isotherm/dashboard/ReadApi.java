package io.isotherm.dashboard;

import io.isotherm.dashboard.access.Access;
import io.isotherm.dashboard.access.Caller;
import io.isotherm.dashboard.access.Guard;
import io.isotherm.dashboard.access.SiteAccess;
import io.isotherm.db.site.Site;
import io.isotherm.grid.AggregateVersion;
import io.isotherm.grid.GridGeometry;
import io.isotherm.grid.Heatmap;
import io.isotherm.grid.HeatmapQuery;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read API: JSON reports of a site's pages from the aggregate tables (docs/API.md). Each request checks the site,
 * then its parameters, then the page; any refusal is an {@link ApiError}, answered in one place. Each answer is read
 * in one snapshot ({@link ReadSnapshot}) and carries the site's aggregate version it was read at.
 */
final class ReadApi {
    private final SiteLookup lookup;
    private final SiteAccess siteAccess;
    private final PageReport pages;
    private final ScrollReport scroll;
    private final ElementReport elements;
    private final CalendarReport calendar;
    private final SegmentValues segments;
    private final GroupReports groups;
    private final HeatmapQuery heatmaps;
    private final Clock clock;
    private final Jdbi jdbi;

    /** A heatmap and the site's aggregate version, read in one snapshot. */
    private record VersionedHeatmap(long version, Heatmap map) {}

    ReadApi(Jdbi jdbi, GridGeometry grid, SiteAccess siteAccess, Clock clock) {
        this.jdbi = jdbi;
        this.lookup = new SiteLookup(jdbi);
        this.siteAccess = siteAccess;
        this.pages = new PageReport(jdbi);
        this.scroll = new ScrollReport(jdbi, grid.bucketPx());
        this.elements = new ElementReport(jdbi);
        this.calendar = new CalendarReport(jdbi);
        this.segments = new SegmentValues(jdbi);
        this.groups = new GroupReports(jdbi, grid, elements, clock);
        this.heatmaps = new HeatmapQuery(jdbi, grid);
        this.clock = clock;
    }

    void routes(JavalinConfig config) {
        config.routes.get("/api/sites/{site}/pages", this::pages, Access.SITE_READ);
        config.routes.get("/api/sites/{site}/scroll", ctx -> ctx.json(scroll.scroll(scope(ctx))), Access.SITE_READ);
        config.routes.get("/api/sites/{site}/elements", ctx -> ctx.json(elements.elements(scope(ctx))), Access.SITE_READ);
        config.routes.get("/api/sites/{site}/calendar", this::calendar, Access.SITE_READ);
        config.routes.get("/api/sites/{site}/heatmap", this::heatmap, Access.SITE_READ);
        config.routes.get("/api/sites/{site}/heatmap.bin", ctx -> heatmapBinary(ctx, HeatmapForm.BIN), Access.SITE_READ);
        config.routes.get("/api/sites/{site}/heatmap.packed", ctx -> heatmapBinary(ctx, HeatmapForm.PACKED), Access.SITE_READ);
        config.routes.get("/api/sites/{site}/segments", this::segments, Access.SITE_READ);
        groups.routes(config);
        config.routes.get("/api/sites", this::sites, Access.SIGNED_IN);
    }

    /** The values of each segment dimension in the range, of one page when {@code page} is given (docs/API.md). */
    private void segments(Context ctx) {
        Site site = site(ctx);
        Params params = new Params(ctx);
        DateRange range = params.range(today(site));
        String url = ctx.queryParam("page");
        ctx.json(Map.of("segments", segments.values(site.id(), url == null ? null : lookup.page(site, url), range)));
    }

    /** Every page, or with any of q, sort, order, limit and offset a searched, sorted slice of them (docs/API.md). */
    private void pages(Context ctx) {
        Site site = site(ctx);
        Params params = new Params(ctx);
        DateRange range = params.range(today(site));
        PageReport.Listing listing = params.pageListing();
        ctx.json(ReadSnapshot.read(jdbi, h -> {
            List<Map<String, Object>> totals = groups.totals(h, site.id(), range);
            return listing == null ? withGroups(pages.pages(h, site.id(), range), totals)
                    : withGroups(pages.list(h, site.id(), range, listing), totals);
        }));
    }

    /** The pages answer with the site's page groups and their totals over the same range (docs/API.md). */
    private static Map<String, Object> withGroups(PageReport.Pages pages, List<Map<String, Object>> groups) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", pages.version());
        body.put("pages", pages.pages());
        body.put("groups", groups);
        return body;
    }

    private static Map<String, Object> withGroups(PageReport.Listed listed, List<Map<String, Object>> groups) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", listed.version());
        body.put("pages", listed.pages());
        body.put("total", listed.total());
        body.put("limit", listed.limit());
        body.put("offset", listed.offset());
        body.put("groups", groups);
        return body;
    }

    private void calendar(Context ctx) {
        Site site = site(ctx);
        Params params = new Params(ctx);
        String url = params.page();
        DateRange range = params.range(today(site));
        ctx.json(calendar.calendar(site.id(), lookup.page(site, url), range));
    }

    private void heatmap(Context ctx) {
        Params params = new Params(ctx);
        String kind = params.kind();
        Double sigma = params.sigma();
        answerHeatmap(ctx, scope(site(ctx), params), kind, sigma, HeatmapForm.JSON, params.raw());
    }

    private void heatmapBinary(Context ctx, HeatmapForm form) {
        Params params = new Params(ctx);
        String kind = params.kind();
        Double sigma = params.sigma();
        answerHeatmap(ctx, scope(site(ctx), params), kind, sigma, form, true);
    }

    /** The forms of one heatmap answer (docs/API.md): {@code heatmap}, {@code heatmap.bin}, {@code heatmap.packed}. */
    enum HeatmapForm { JSON, BIN, PACKED }

    /**
     * Answers a scope's heatmap, read in one snapshot with the site's aggregate version, as JSON or in one of its binary
     * forms ({@link HeatmapBinary}), which always carry the counts. The read API's answer, and a shared view's
     * ({@link SharedViewApi}), which gives its link's scope.
     */
    void answerHeatmap(Context ctx, Scope scope, String kind, Double sigma, HeatmapForm form, boolean withCounts) {
        boolean binary = form != HeatmapForm.JSON;
        VersionedHeatmap heatmap = ReadSnapshot.read(jdbi, h -> new VersionedHeatmap(AggregateVersion.of(h, scope.siteId()),
                heatmaps.heatmap(h, scope.siteId(), scope.pageId(), scope.device(), kind, scope.from(), scope.to(), sigma,
                        binary || withCounts, scope.filtered() ? scope.segmentIds(h) : null)));
        send(ctx, json(heatmap), heatmap.map(), form);
    }

    /** A heatmap's JSON body (HeatmapJson), as itself or in one of its binary forms, whose header it becomes. */
    static void send(Context ctx, Map<String, Object> body, Heatmap map, HeatmapForm form) {
        if (form == HeatmapForm.JSON) {
            ctx.json(body);
            return;
        }
        body.remove("values");
        body.remove("counts");
        if (form == HeatmapForm.PACKED) body.put("packing", HeatmapBinary.PACKING);
        String header = ctx.jsonMapper().toJsonString(body, Map.class);
        ctx.contentType("application/octet-stream")
                .result(form == HeatmapForm.PACKED ? HeatmapBinary.pack(header, map) : HeatmapBinary.encode(header, map));
    }

    /** The caller's sites, with "today" in each one's time zone (the viewer's date presets count back from it). */
    private void sites(Context ctx) {
        Caller caller = Guard.caller(ctx);
        ctx.json(Map.of("sites", lookup.sites().stream().flatMap(site -> siteAccess.roleOn(caller, site).stream().map(role -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("key", site.publicKey());
            body.put("name", site.name());
            body.put("origins", site.origins());
            body.put("timeZone", site.timeZone());
            body.put("today", today(site).toString());
            body.put("role", role.label());
            return body;
        })).toList()));
    }

    private static Site site(Context ctx) {
        return SiteAccess.site(ctx);
    }

    private Scope scope(Context ctx) {
        return scope(site(ctx), new Params(ctx));
    }

    /** The page, device class and range of a page report: parameters first, then the page (404 if unknown). */
    private Scope scope(Site site, Params params) {
        String url = params.page();
        String device = params.device();
        DateRange range = params.range(today(site));
        return new Scope(site.id(), lookup.page(site, url), device, range.from(), range.to(), params.segments());
    }

    private LocalDate today(Site site) {
        return LocalDate.now(clock.withZone(ZoneId.of(site.timeZone())));
    }

    private static Map<String, Object> json(VersionedHeatmap heatmap) {
        return HeatmapJson.of(heatmap.version(), heatmap.map());
    }
}
