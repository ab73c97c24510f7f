package io.isotherm.dashboard;

import io.isotherm.dashboard.ReadApi.HeatmapForm;
import io.isotherm.dashboard.access.Access;
import io.isotherm.dashboard.access.SiteAccess;
import io.isotherm.dashboard.groups.PageGroup;
import io.isotherm.dashboard.groups.PageGroups;
import io.isotherm.db.device.DeviceClass;
import io.isotherm.db.segment.SegmentFilter;
import io.isotherm.db.site.Site;
import io.isotherm.grid.AggregateVersion;
import io.isotherm.grid.GridGeometry;
import io.isotherm.grid.Heatmap;
import io.isotherm.grid.HeatmapQuery;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reports of a page group (docs/API.md, "Page groups"): its heatmaps and elements pool every member page and are
 * drawn on the group's screenshot page, the one its owner picked or else the member with the most page views in the
 * view; and the groups' totals in the pages list. The members are found by the pattern in the answer's snapshot.
 */
final class GroupReports {
    private final Jdbi jdbi;
    private final HeatmapQuery heatmaps;
    private final ElementReport elements;
    private final Clock clock;

    /** A group as one view draws it: its member pages and the page whose layout and screenshot it is drawn on. */
    private record Pooled(PageGroup group, List<PageGroups.Member> members, PageGroups.Member drawn) {
        long[] ids() {
            return members.stream().mapToLong(PageGroups.Member::id).toArray();
        }

        Map<String, Object> describe(Map<String, Object> body) {
            Map<String, Object> named = new LinkedHashMap<>();
            named.put("id", group.id());
            named.put("name", group.name());
            named.put("pattern", group.pattern().text());
            named.put("pages", members.size());
            body.put("group", named);
            body.put("page", drawn.url());
            return body;
        }
    }

    GroupReports(Jdbi jdbi, GridGeometry grid, ElementReport elements, Clock clock) {
        this.jdbi = jdbi;
        this.heatmaps = new HeatmapQuery(jdbi, grid);
        this.elements = elements;
        this.clock = clock;
    }

    void routes(JavalinConfig config) {
        config.routes.get("/api/sites/{site}/groups/{group}/heatmap", ctx -> heatmap(ctx, HeatmapForm.JSON), Access.SITE_READ);
        config.routes.get("/api/sites/{site}/groups/{group}/heatmap.packed", ctx -> heatmap(ctx, HeatmapForm.PACKED), Access.SITE_READ);
        config.routes.get("/api/sites/{site}/groups/{group}/elements", this::elements, Access.SITE_READ);
    }

    private void heatmap(Context ctx, HeatmapForm form) {
        Site site = SiteAccess.site(ctx);
        Params params = new Params(ctx);
        String kind = params.kind();
        Double sigma = params.sigma();
        boolean withCounts = form != HeatmapForm.JSON || params.raw();
        Scope asked = scope(site, params);
        long groupId = groupId(ctx);
        record Answer(long version, Pooled pooled, Heatmap map) {}
        Answer answer = ReadSnapshot.read(jdbi, h -> {
            Pooled pooled = pooled(h, site, groupId, asked);
            Heatmap map = heatmaps.pooled(h, site.id(), pooled.ids(), pooled.drawn().id(), asked.device(), kind, asked.from(), asked.to(),
                    sigma, withCounts, asked.filtered() ? asked.segmentIds(h) : null);
            return new Answer(AggregateVersion.of(h, site.id()), pooled, map);
        });
        ReadApi.send(ctx, answer.pooled().describe(HeatmapJson.of(answer.version(), answer.map())), answer.map(), form);
    }

    private void elements(Context ctx) {
        Site site = SiteAccess.site(ctx);
        Scope asked = scope(site, new Params(ctx));
        long groupId = groupId(ctx);
        ctx.json(ReadSnapshot.read(jdbi, h -> {
            Pooled pooled = pooled(h, site, groupId, asked);
            Scope drawn = new Scope(site.id(), pooled.drawn().id(), asked.device(), asked.from(), asked.to(), asked.segments());
            ElementReport.Elements report = elements.pooled(h, drawn, pooled.members().stream().map(PageGroups.Member::id).toList());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("version", report.version());
            pooled.describe(body);
            body.put("pageviews", report.pageviews());
            body.put("pageClicks", report.pageClicks());
            body.put("clicks", report.clicks());
            body.put("elements", report.elements());
            return body;
        }));
    }

    /**
     * Each group of the site with its member pages' page views, clicks and moves over the range, in total and per device
     * class, as the pages list shows them.
     */
    List<Map<String, Object>> totals(Handle h, int siteId, DateRange range) {
        List<PageGroup> groups = PageGroups.list(h, siteId);
        if (groups.isEmpty()) return List.of();
        List<PageGroups.Page> pages = PageGroups.pages(h, siteId);
        Map<Long, Map<String, PageReport.Counts>> perPage = new HashMap<>();
        h.createQuery("""
                        SELECT page_id, device::text, sum(pageviews), sum(clicks), sum(moves) FROM page_day
                        WHERE site_id = :site AND day BETWEEN :from AND :to
                        GROUP BY page_id, device""")
                .bind("site", siteId).bind("from", range.from()).bind("to", range.to())
                .map((rs, ctx) -> {
                    perPage.computeIfAbsent(rs.getLong(1), id -> new HashMap<>())
                            .put(rs.getString(2), new PageReport.Counts(rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                    return null;
                })
                .forEach(ignored -> { });
        List<Map<String, Object>> totals = new ArrayList<>();
        for (PageGroup group : groups) {
            List<PageGroups.Page> members = PageGroups.members(pages, group.pattern());
            Map<String, PageReport.Counts> devices = new LinkedHashMap<>();
            for (String device : DeviceClass.NAMES) devices.put(device, PageReport.Counts.ZERO);
            for (PageGroups.Page page : members) {
                perPage.getOrDefault(page.id(), Map.of()).forEach((device, counts) -> devices.merge(device, counts, PageReport.Counts::plus));
            }
            PageReport.Counts sum = devices.values().stream().reduce(PageReport.Counts.ZERO, PageReport.Counts::plus);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", group.id());
            json.put("name", group.name());
            json.put("pattern", group.pattern().text());
            json.put("pages", members.size());
            json.put("pageviews", sum.pageviews());
            json.put("clicks", sum.clicks());
            json.put("moves", sum.moves());
            json.put("devices", devices);
            totals.add(json);
        }
        return totals;
    }

    /**
     * The group's members and the page to draw it on, in the caller's snapshot: 404 for an unknown group or one whose
     * pattern matches no page yet.
     */
    private static Pooled pooled(Handle h, Site site, long groupId, Scope view) {
        PageGroup group = PageGroups.find(h, site.id(), groupId).orElseThrow(() -> ApiError.notFound("unknown group"));
        List<PageGroups.Member> members = PageGroups.members(h, site.id(), group.pattern(), view.device(), view.from(), view.to());
        if (members.isEmpty()) throw ApiError.refused(404, "group", "no page of the site matches the group's pattern yet");
        // The page the owner picked while it is a member (a changed pattern may leave it out), else the busiest.
        PageGroups.Member drawn = members.stream().filter(m -> group.screenshotPageId() != null && m.id() == group.screenshotPageId())
                .findFirst().orElse(members.get(0));
        return new Pooled(group, members, drawn);
    }

    /** The device class, range and segments of the view; its page is the group's, found later. */
    private Scope scope(Site site, Params params) {
        String device = params.device();
        DateRange range = params.range(LocalDate.now(clock.withZone(ZoneId.of(site.timeZone()))));
        SegmentFilter segments = params.segments();
        return new Scope(site.id(), 0, device, range.from(), range.to(), segments);
    }

    private static long groupId(Context ctx) {
        return PathIds.of(ctx, "group", "unknown group");
    }
}
