package io.isotherm.dashboard;

import io.isotherm.accounts.ShareLinks;
import io.isotherm.capture.Capture;
import io.isotherm.capture.CaptureImage;
import io.isotherm.capture.CaptureReads;
import io.isotherm.dashboard.access.Access;
import io.isotherm.dashboard.access.ShareAccess;
import io.isotherm.dashboard.access.SiteAccess;
import io.isotherm.db.device.DeviceClass;
import io.isotherm.db.page.PageDao;
import io.isotherm.db.site.Site;
import io.isotherm.grid.GridGeometry;
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
import java.util.Optional;

/**
 * What a share link opens ({@code /share/{token}/…}, docs/API.md "Share links"): its one view's description, the
 * view's report (heatmap or scroll, and elements) and the tiles of the page's current screenshot on that device. Every
 * answer is fixed to the link: query parameters are not read, so none can reach another page, device or range. Any
 * other URL under the link is the 404 of an unknown URL. The {@link io.isotherm.dashboard.access.Guard} has found the
 * link live before these run.
 */
final class SharedViewApi {
    private final PageDao pages;
    private final ScrollReport scroll;
    private final ElementReport elements;
    private final ReadApi readApi;
    private final CaptureReads captures;
    private final GridGeometry grid;
    private final Clock clock;

    SharedViewApi(Jdbi jdbi, GridGeometry grid, ReadApi readApi, Clock clock) {
        this.pages = new PageDao(jdbi);
        this.scroll = new ScrollReport(jdbi, grid.bucketPx());
        this.elements = new ElementReport(jdbi);
        this.readApi = readApi;
        this.captures = new CaptureReads(jdbi);
        this.grid = grid;
        this.clock = clock;
    }

    void routes(JavalinConfig config) {
        config.routes.get("/share/{token}/view", this::view, Access.SHARED);
        config.routes.get("/share/{token}/heatmap.bin", ctx -> heatmap(ctx, ReadApi.HeatmapForm.BIN), Access.SHARED);
        config.routes.get("/share/{token}/heatmap.packed", ctx -> heatmap(ctx, ReadApi.HeatmapForm.PACKED), Access.SHARED);
        config.routes.get("/share/{token}/heatmap", ctx -> heatmap(ctx, ReadApi.HeatmapForm.JSON), Access.SHARED);
        config.routes.get("/share/{token}/scroll", ctx -> ctx.json(scroll.scroll(scope(ctx, false))), Access.SHARED);
        config.routes.get("/share/{token}/elements", ctx -> ctx.json(elements.elements(scope(ctx, null))), Access.SHARED);
        config.routes.get("/share/{token}/captures", this::captures, Access.SHARED);
        config.routes.get("/share/{token}/captures/{id}/elements", this::captureElements, Access.SHARED);
        config.routes.get("/share/{token}/captures/{id}/tiles/{tile}", this::tile, Access.SHARED);
        // Last, so that it only takes what nothing above does: the rest of the API is not behind a link.
        config.routes.get("/share/{token}/<path>", ctx -> {
            throw ShareAccess.notFound(ctx);
        }, Access.SHARED);
    }

    /** The view the link shows, for the shared viewer: the page, map, device class, range, palette and σ. */
    private void view(Context ctx) {
        Site site = SiteAccess.site(ctx);
        ShareLinks.Link link = ShareAccess.link(ctx);
        ShareLinks.View view = link.view();
        DateRange range = range(site, view);
        DeviceClass device = DeviceClass.parse(view.device());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("site", site.name());
        body.put("page", pages.url(site.id(), view.pageId()).orElseThrow(() -> ShareAccess.notFound(ctx)));
        body.put("map", view.map());
        body.put("device", device(device));
        // Every device class, as GET /api/platform lists them: the viewer's controls are built from the whole list.
        body.put("devices", Arrays.stream(DeviceClass.values()).map(this::device).toList());
        body.put("preset", view.preset());
        body.put("from", range.from().toString());
        body.put("to", range.to().toString());
        body.put("today", today(site).toString());
        body.put("palette", view.palette());
        body.put("sigma", view.sigma());
        body.put("expiresAt", link.expiresAt() == null ? null : link.expiresAt().toString());
        ctx.json(body);
    }

    private Map<String, Object> device(DeviceClass device) {
        return Map.of("id", device.sqlName(), "label", device.label(), "layoutWidth", grid.layoutWidth(device.sqlName()));
    }

    /** Click and move maps are heatmaps, answered as the read API answers them; a scroll or attention map has none. */
    private void heatmap(Context ctx, ReadApi.HeatmapForm form) {
        ShareLinks.View view = ShareAccess.link(ctx).view();
        readApi.answerHeatmap(ctx, scope(ctx, true), view.map(), view.sigma(), form, false);
    }

    /**
     * The link's page, device class and range; {@code density} true for the heatmap (click and move maps), false for
     * the scroll report (scroll and attention maps), null for what every map shows (its elements).
     */
    private Scope scope(Context ctx, Boolean density) {
        Site site = SiteAccess.site(ctx);
        ShareLinks.View view = ShareAccess.link(ctx).view();
        if (density != null && density != isDensity(view)) throw ShareAccess.notFound(ctx);
        DateRange range = range(site, view);
        return new Scope(site.id(), view.pageId(), view.device(), range.from(), range.to());
    }

    /** The page's current screenshot on the link's device class, if it has one: the only capture a link shows. */
    private void captures(Context ctx) {
        ctx.json(Map.of("captures", current(ctx).map(c -> List.of(json(ctx, c))).orElse(List.of())));
    }

    private void captureElements(Context ctx) {
        Capture capture = current(ctx, number(ctx, "id"));
        ctx.json(Map.of("elements", captures.elements(SiteAccess.site(ctx).id(), capture.id())));
    }

    private void tile(Context ctx) {
        Capture capture = current(ctx, number(ctx, "id"));
        long tile = number(ctx, "tile");
        if (tile > Short.MAX_VALUE) throw ShareAccess.notFound(ctx);
        CaptureImage image = captures.tile(SiteAccess.site(ctx).id(), capture.id(), (int) tile).orElseThrow(() -> ShareAccess.notFound(ctx));
        ctx.contentType(image.contentType()).result(image.bytes());
    }

    private Optional<Capture> current(Context ctx) {
        ShareLinks.View view = ShareAccess.link(ctx).view();
        return captures.history(SiteAccess.site(ctx).id(), view.pageId(), view.device()).stream()
                .filter(c -> c.current() && !c.tiles().isEmpty()).findFirst();
    }

    /** The current screenshot if it has this id; any other capture is not behind the link. */
    private Capture current(Context ctx, long id) {
        return current(ctx).filter(c -> c.id() == id).orElseThrow(() -> ShareAccess.notFound(ctx));
    }

    /** What the viewer reads of a capture, its tiles under the link: no history, no URLs of the site's API. */
    private static Map<String, Object> json(Context ctx, Capture c) {
        String base = "/share/" + ctx.pathParam("token") + "/captures/" + c.id() + "/tiles/";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", c.id());
        body.put("device", c.device());
        body.put("status", c.status());
        body.put("capturedAt", c.capturedAt() == null ? null : c.capturedAt().toString());
        body.put("width", c.width());
        body.put("height", c.height());
        body.put("truncated", c.truncated());
        body.put("current", true);
        body.put("tiles", c.tiles().stream().map(t -> Map.of("y", t.y(), "height", t.height(), "url", base + t.index())).toList());
        return body;
    }

    private DateRange range(Site site, ShareLinks.View view) {
        return view.preset() != null ? DateRange.preset(view.preset(), today(site)) : new DateRange(view.from(), view.to());
    }

    private LocalDate today(Site site) {
        return LocalDate.now(clock.withZone(ZoneId.of(site.timeZone())));
    }

    private static boolean isDensity(ShareLinks.View view) {
        return view.map().equals("click") || view.map().equals("move");
    }

    /** A whole number in the path; anything else names nothing behind the link. */
    private static long number(Context ctx, String name) {
        try {
            long value = Long.parseLong(ctx.pathParam(name));
            if (value >= 0) return value;
        } catch (NumberFormatException e) {
            // the same answer as a number that names nothing
        }
        throw ShareAccess.notFound(ctx);
    }
}
