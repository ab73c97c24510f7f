package io.isotherm.dashboard;

import io.isotherm.capture.Capture;
import io.isotherm.capture.CaptureImage;
import io.isotherm.capture.CapturePages;
import io.isotherm.capture.CaptureQueue;
import io.isotherm.capture.CaptureReads;
import io.isotherm.capture.CaptureResults;
import io.isotherm.capture.LayoutPromotion;
import io.isotherm.dashboard.access.Access;
import io.isotherm.dashboard.access.SiteAccess;
import io.isotherm.db.device.DeviceClass;
import io.isotherm.db.site.Site;
import io.isotherm.grid.GridGeometry;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Screenshots of a site's pages (docs/API.md, "Captures"): queue captures, upload images, list a page's history,
 * serve the tiles and element boxes, accept a flagged capture. Workers ({@code CaptureWorker}) shoot the queue.
 */
final class CaptureApi {
    /** Who may ask for a capture through the API; the others are the command line, automatic captures and uploads. */
    private static final List<String> REQUESTERS = List.of("api", "viewer");

    /** The body of {@code POST /captures}. */
    record CaptureRequest(String url, List<String> devices, String requestedBy) {}

    private final SiteLookup lookup;
    private final CapturePages pages;
    private final CaptureQueue queue;
    private final CaptureResults results;
    private final CaptureReads reads;
    private final LayoutPromotion promotion;
    private final GridGeometry layouts;
    private final long uploadMaxBytes;
    private final ScreenshotCheck screenshots;

    CaptureApi(Jdbi jdbi, GridGeometry layouts, long uploadMaxBytes, long uploadMaxPixels) {
        this.lookup = new SiteLookup(jdbi);
        this.pages = new CapturePages(jdbi);
        this.queue = new CaptureQueue(jdbi);
        this.results = new CaptureResults(jdbi);
        this.reads = new CaptureReads(jdbi);
        this.promotion = new LayoutPromotion(jdbi);
        this.layouts = layouts;
        this.uploadMaxBytes = uploadMaxBytes;
        this.screenshots = new ScreenshotCheck(uploadMaxPixels);
    }

    void routes(JavalinConfig config) {
        config.routes.get("/api/sites/{site}/captures", this::history, Access.SITE_READ);
        config.routes.post("/api/sites/{site}/captures", this::request, Access.SITE_WRITE);
        config.routes.post("/api/sites/{site}/captures/upload", this::upload, Access.SITE_WRITE);
        config.routes.get("/api/sites/{site}/captures/{id}", ctx -> ctx.json(json(site(ctx), capture(ctx))), Access.SITE_READ);
        config.routes.post("/api/sites/{site}/captures/{id}/accept", this::accept, Access.SITE_WRITE);
        config.routes.get("/api/sites/{site}/captures/{id}/elements", this::elements, Access.SITE_READ);
        config.routes.get("/api/sites/{site}/captures/{id}/tiles/{tile}", this::tile, Access.SITE_READ);
    }

    private void history(Context ctx) {
        Site site = site(ctx);
        Params params = new Params(ctx);
        String url = params.page();
        String device = params.deviceOrAll();
        long page = lookup.page(site, url);
        ctx.json(Map.of("captures", reads.history(site.id(), page, device).stream().map(c -> json(site, c)).toList()));
    }

    private void request(Context ctx) {
        Site site = site(ctx);
        CaptureRequest body;
        try {
            body = ctx.bodyAsClass(CaptureRequest.class);
        } catch (Exception e) { // Jackson's parse errors are checked exceptions, thrown through Kotlin
            throw ApiError.badParameter("body", "the body must be JSON like {\"url\": \"https://…\", \"devices\": [\"desktop\"]}");
        }
        if (body == null || body.url() == null || body.url().isBlank()) throw ApiError.badParameter("url", "url is required: the page's URL");
        List<String> devices = body.devices() == null || body.devices().isEmpty() ? DeviceClass.NAMES : body.devices();
        for (String device : devices) {
            if (!DeviceClass.NAMES.contains(device)) throw ApiError.badParameter("devices", "devices must be " + DeviceClass.namesText());
        }
        String by = body.requestedBy() == null ? "api" : body.requestedBy();
        if (!REQUESTERS.contains(by)) throw ApiError.badParameter("requestedBy", "requestedBy must be api or viewer");

        // Checked last: it creates the page.
        String url = body.url().trim();
        long page;
        try {
            page = pages.pageOf(site, url);
        } catch (IllegalArgumentException e) {
            throw ApiError.badParameter("url", e.getMessage());
        }
        List<Map<String, Object>> queued = new ArrayList<>();
        for (String device : devices.stream().distinct().toList()) {
            long id = queue.queue(site.id(), page, device, url, by);
            queued.add(json(site, reads.find(site.id(), id).orElseThrow()));
        }
        ctx.status(202).json(Map.of("captures", queued));
    }

    private void upload(Context ctx) {
        Site site = site(ctx);
        Params params = new Params(ctx);
        String url = params.page();
        String device = params.device();
        long page = lookup.page(site, url);
        ScreenshotCheck.Checked image = screenshots.check(ScreenshotUpload.read(ctx, uploadMaxBytes));
        int width = layouts.layoutWidth(device);
        long id = results.upload(site.id(), page, device, url, new CaptureImage(image.contentType(), image.bytes()),
                width, image.layoutHeight(width));
        ctx.status(201).json(json(site, reads.find(site.id(), id).orElseThrow()));
    }

    private void accept(Context ctx) {
        Site site = site(ctx);
        Capture capture = promotion.accept(site.id(), captureId(ctx)).orElseThrow(() -> ApiError.notFound("unknown capture"));
        if (!capture.status().equals("flagged")) {
            throw ApiError.refused(409, null, "only a flagged capture can be accepted; this one is " + capture.status());
        }
        ctx.json(json(site, capture));
    }

    private void elements(Context ctx) {
        Site site = site(ctx);
        Capture capture = capture(ctx);
        ctx.json(Map.of("elements", reads.elements(site.id(), capture.id())));
    }

    private void tile(Context ctx) {
        Site site = site(ctx);
        int tile;
        try {
            tile = Integer.parseInt(ctx.pathParam("tile"));
        } catch (NumberFormatException e) {
            tile = -1;
        }
        if (tile < 0 || tile > Short.MAX_VALUE) { // the column is a smallint: a larger number would wrap to another tile
            throw ApiError.badParameter("tile", "tile must be a whole number from 0 to " + Short.MAX_VALUE);
        }
        CaptureImage image = reads.tile(site.id(), captureId(ctx), tile).orElseThrow(() -> ApiError.notFound("unknown tile"));
        // A tile never changes once stored: a new capture gets a new id.
        ctx.header("Cache-Control", "private, max-age=31536000, immutable").contentType(image.contentType()).result(image.bytes());
    }

    private static Site site(Context ctx) {
        return SiteAccess.site(ctx);
    }

    private Capture capture(Context ctx) {
        return reads.find(site(ctx).id(), captureId(ctx)).orElseThrow(() -> ApiError.notFound("unknown capture"));
    }

    private static long captureId(Context ctx) {
        return PathIds.of(ctx, "id", "unknown capture");
    }

    /** A capture as docs/API.md shows it, with the URLs of its tiles. */
    static Map<String, Object> json(Site site, Capture c) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", c.id());
        body.put("device", c.device());
        body.put("source", c.source());
        body.put("requestedBy", c.requestedBy());
        body.put("status", c.status());
        body.put("flag", c.flag());
        body.put("accepted", c.accepted());
        body.put("httpStatus", c.httpStatus());
        body.put("url", c.url());
        body.put("finalUrl", c.finalUrl());
        body.put("title", c.title());
        body.put("message", c.message());
        body.put("requestedAt", text(c.requestedAt()));
        body.put("startedAt", text(c.startedAt()));
        body.put("capturedAt", text(c.capturedAt()));
        body.put("width", c.width());
        body.put("height", c.height());
        body.put("truncated", c.truncated());
        body.put("elementCount", c.elementCount());
        body.put("current", c.current());
        body.put("tiles", c.tiles().stream().map(t -> Map.of("y", t.y(), "height", t.height(),
                "url", "/api/sites/" + site.publicKey() + "/captures/" + c.id() + "/tiles/" + t.index())).toList());
        return body;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
