package io.isotherm.dashboard.groups;

import io.isotherm.dashboard.ApiError;
import io.isotherm.dashboard.JsonBody;
import io.isotherm.dashboard.PathIds;
import io.isotherm.dashboard.access.Access;
import io.isotherm.dashboard.access.SiteAccess;
import io.isotherm.db.page.PageDao;
import io.isotherm.db.site.Site;
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
 * A site's page groups as its settings manage them (docs/API.md, "Page groups"): list, create, edit and delete them
 * (owners, like every site setting), and preview the pages a pattern matches before saving it. Each group is shown
 * with its pages and their page views of the last 30 days. The group's reports are the read API's ({@code GroupReports}).
 */
public final class PageGroupApi {
    static final int PREVIEW_DAYS = 30;
    private static final String EXAMPLE = "{\"name\": \"Products\", \"pattern\": \"/product/*\", \"screenshotPage\": null}";

    /** @param screenshotPage the URL of the member page to draw the group on; null or empty for the busiest */
    record GroupBody(String name, String pattern, String screenshotPage) {}

    private final Jdbi jdbi;
    private final PageGroups groups;
    private final PageDao pages;
    private final Clock clock;

    public PageGroupApi(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.groups = new PageGroups(jdbi);
        this.pages = new PageDao(jdbi);
        this.clock = clock;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/api/sites/{site}/groups", this::list, Access.SITE_READ);
        config.routes.post("/api/sites/{site}/groups", this::create, Access.SITE_WRITE);
        config.routes.get("/api/sites/{site}/group-preview", this::preview, Access.SITE_READ);
        config.routes.get("/api/sites/{site}/groups/{group}", ctx -> ctx.json(json(SiteAccess.site(ctx), group(ctx))), Access.SITE_READ);
        config.routes.put("/api/sites/{site}/groups/{group}", this::edit, Access.SITE_WRITE);
        config.routes.delete("/api/sites/{site}/groups/{group}", this::delete, Access.SITE_WRITE);
    }

    private void list(Context ctx) {
        Site site = SiteAccess.site(ctx);
        LocalDate today = today(site);
        ctx.json(Map.of("groups", jdbi.withHandle(h -> {
            List<PageGroups.Page> pages = PageGroups.pages(h, site.id());
            return PageGroups.list(h, site.id()).stream()
                    .map(g -> json(g, PageGroups.members(h, site.id(), pages, g.pattern(), null, today.minusDays(PREVIEW_DAYS - 1), today)))
                    .toList();
        })));
    }

    private void create(Context ctx) {
        Site site = SiteAccess.site(ctx);
        GroupBody body = JsonBody.read(ctx, GroupBody.class, EXAMPLE);
        PathPattern pattern = PathPattern.parse(body.pattern(), "pattern");
        PageGroup group = groups.add(site.id(), name(body), pattern, screenshotPage(site, pattern, body.screenshotPage()));
        ctx.status(201).json(json(site, group));
    }

    private void edit(Context ctx) {
        Site site = SiteAccess.site(ctx);
        PageGroup before = group(ctx);
        GroupBody body = JsonBody.read(ctx, GroupBody.class, EXAMPLE);
        PathPattern pattern = PathPattern.parse(body.pattern(), "pattern");
        PageGroup after = new PageGroup(before.id(), name(body), pattern, screenshotPage(site, pattern, body.screenshotPage()));
        if (!groups.update(site.id(), after.id(), after.name(), pattern, after.screenshotPageId())) throw ApiError.notFound("unknown group");
        ctx.json(json(site, after));
    }

    private void delete(Context ctx) {
        if (!groups.remove(SiteAccess.site(ctx).id(), group(ctx).id())) throw ApiError.notFound("unknown group");
        ctx.status(204);
    }

    /** The pages a pattern matches now, with their page views of the last 30 days: what a group would hold. */
    private void preview(Context ctx) {
        Site site = SiteAccess.site(ctx);
        PathPattern pattern = PathPattern.parse(ctx.queryParam("pattern"), "pattern");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pattern", pattern.text());
        body.put("pages", pagesJson(members(site, pattern)));
        ctx.json(body);
    }

    private PageGroup group(Context ctx) {
        long id = PathIds.of(ctx, "group", "unknown group");
        return groups.find(SiteAccess.site(ctx).id(), id).orElseThrow(() -> ApiError.notFound("unknown group"));
    }

    private static String name(GroupBody body) {
        String name = body.name() == null ? "" : body.name().trim();
        if (name.isEmpty()) throw ApiError.badParameter("name", "name is required");
        if (name.length() > PageGroups.MAX_NAME) throw ApiError.badParameter("name", "name must be at most " + PageGroups.MAX_NAME + " characters");
        if (name.indexOf('\0') >= 0) throw ApiError.badParameter("name", "name must not contain a NUL character");
        return name;
    }

    /** The page of the URL, which must be one the pattern matches; null (the busiest) when no URL is given. */
    private Long screenshotPage(Site site, PathPattern pattern, String url) {
        if (url == null || url.isBlank()) return null;
        Long id;
        try {
            id = pages.find(site, url.trim()).orElse(null);
        } catch (IllegalArgumentException e) {
            throw ApiError.badParameter("screenshotPage", "screenshotPage must be the absolute URL of one of the group's pages");
        }
        if (id == null || members(site, pattern).stream().noneMatch(m -> m.id() == id)) {
            throw ApiError.badParameter("screenshotPage", "screenshotPage must be one of the group's pages (its pattern does not match this one)");
        }
        return id;
    }

    private List<PageGroups.Member> members(Site site, PathPattern pattern) {
        LocalDate today = today(site);
        return jdbi.withHandle(h -> PageGroups.members(h, site.id(), pattern, null, today.minusDays(PREVIEW_DAYS - 1), today));
    }

    private LocalDate today(Site site) {
        return LocalDate.now(clock.withZone(ZoneId.of(site.timeZone())));
    }

    private Map<String, Object> json(Site site, PageGroup group) {
        return json(group, members(site, group.pattern()));
    }

    private static Map<String, Object> json(PageGroup group, List<PageGroups.Member> members) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", group.id());
        json.put("name", group.name());
        json.put("pattern", group.pattern().text());
        json.put("screenshotPage", members.stream().filter(m -> group.screenshotPageId() != null && m.id() == group.screenshotPageId())
                .map(PageGroups.Member::url).findFirst().orElse(null));
        json.put("pages", pagesJson(members));
        return json;
    }

    private static List<Map<String, Object>> pagesJson(List<PageGroups.Member> members) {
        return members.stream().map(m -> Map.<String, Object>of("url", m.url(), "pageviews", m.pageviews())).toList();
    }
}
