package io.isotherm.dashboard.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isotherm.capture.Capture;
import io.isotherm.capture.CaptureFailure;
import io.isotherm.capture.CaptureImage;
import io.isotherm.capture.CaptureReads;
import io.isotherm.capture.HtmlSnapshot;
import io.isotherm.dashboard.ExportSources;
import io.isotherm.dashboard.HeatmapJson;
import io.isotherm.db.site.Site;
import io.isotherm.grid.Heatmap;
import io.isotherm.grid.HeatmapQuery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an export of one view in any format, from the same reads as the read API: the API, the viewer's menu and
 * the command line all come here.
 */
public final class Exporter {
    /** An export's bytes, and how to save them. */
    public record Export(String contentType, String filename, byte[] body) {}

    /** The smallest page drawn, as the viewer does: a short page still shows its heat and legend legibly. */
    static final int MIN_HEIGHT = 900;
    /** A PNG is at least this wide, so the legend and the facts of a phone-sized page fit beside each other. */
    static final int MIN_PNG_WIDTH = 720;
    static final double OPACITY = 0.85;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExportSources sources;
    private final CaptureReads captures;
    private final HtmlSnapshot snapshots;
    private final ExportPage page = new ExportPage();

    public Exporter(ExportSources sources, CaptureReads captures, HtmlSnapshot snapshots) {
        this.sources = sources;
        this.captures = captures;
        this.snapshots = snapshots;
    }

    /**
     * @throws io.isotherm.dashboard.ApiError for a bad range or an unknown page
     * @throws HtmlSnapshot.Busy              when every PNG browser is busy
     * @throws CaptureFailure                 when a PNG cannot be rendered (Chromium missing, too slow)
     */
    public Export export(Site site, ExportOptions options) throws HtmlSnapshot.Busy, CaptureFailure {
        ExportSources.View view = sources.view(site, options.page(), options.device(), options.from(), options.to(), options.segments());
        String kind = options.map().equals("move") ? "move" : "click";
        String name = "isotherm-%s-%s-%s-%s".formatted(options.format() == ExportOptions.Format.CSV ? options.table() : options.map(),
                options.device(), view.from(), view.to());
        String filename = name + "." + options.format().extension();
        String contentType = options.format().contentType;
        return switch (options.format()) {
            case CSV -> new Export(contentType, filename, csv(view, options, kind).getBytes(StandardCharsets.UTF_8));
            case HTML -> new Export(contentType, filename, html(view, options, kind, "html").getBytes(StandardCharsets.UTF_8));
            case PNG -> {
                Map<String, Object> model = model(view, options, kind, "png");
                int width = Math.max(MIN_PNG_WIDTH, (int) model.get("width"));
                int height = ExportPage.PNG_HEADER_PX + (int) model.get("height");
                yield new Export(contentType, filename, snapshots.png(page.html(json(model), title(view, options)), width, height));
            }
        };
    }

    private String csv(ExportSources.View view, ExportOptions options, String kind) {
        return switch (options.table()) {
            case "elements" -> ExportCsv.elements(sources.elements(view));
            case "cells" -> ExportCsv.cells(sources.heatmap(view, kind, options.sigma()));
            case "scroll" -> ExportCsv.scroll(sources.scroll(view));
            default -> ExportCsv.hours(sources.calendar(view));
        };
    }

    private String html(ExportSources.View view, ExportOptions options, String kind, String mode) {
        return page.html(json(model(view, options, kind, mode)), title(view, options));
    }

    /** Everything export-view.js draws: the view's facts, its reports as the API answers them, the screenshot. */
    private Map<String, Object> model(ExportSources.View view, ExportOptions options, String kind, String mode) {
        ExportSources.Drawn drawn = sources.drawn(view, kind, options.sigma(), !options.density());
        Heatmap heatmap = drawn.heatmap();
        JsonNode scroll = drawn.scroll();
        Capture capture = captures.history(view.site().id(), view.pageId(), view.device()).stream()
                .filter(c -> c.current() && !c.tiles().isEmpty()).findFirst().orElse(null);
        int width = Math.max(heatmap.layoutWidth() > 0 ? heatmap.layoutWidth() : sources.layoutWidth(view.device()),
                capture == null ? 0 : capture.width());
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("mode", mode);
        model.put("site", view.site().name());
        model.put("page", options.page());
        model.put("map", options.map());
        model.put("device", view.device());
        model.put("from", view.from().toString());
        model.put("to", view.to().toString());
        model.put("palette", options.palette());
        model.put("scale", options.scale());
        model.put("opacity", OPACITY);
        model.put("width", width);
        model.put("height", height(heatmap, scroll, capture));
        model.put("pageviews", heatmap.pageviews());
        model.put("events", heatmap.total());
        model.put("heatmap", options.density() ? HeatmapJson.of(drawn.version(), heatmap) : null);
        model.put("scroll", scroll);
        model.put("elements", drawn.elements());
        model.put("capture", capture == null ? null : screenshot(view.site(), capture));
        model.put("version", drawn.version());
        model.put("headerPx", ExportPage.PNG_HEADER_PX);
        return model;
    }

    /** As tall as the viewer draws the page: its layout, its screenshot and how far its visitors scrolled. */
    private static int height(Heatmap heatmap, JsonNode scroll, Capture capture) {
        int height = Math.max(MIN_HEIGHT, Math.max(heatmap.layoutHeight(), capture == null ? 0 : capture.height()));
        if (scroll != null) {
            JsonNode reach = scroll.path("reachPx");
            if (!reach.isEmpty()) height = Math.max(height, reach.get(reach.size() - 1).path("y").asInt() + 50);
            JsonNode bands = scroll.path("attention");
            if (!bands.isEmpty()) {
                JsonNode last = bands.get(bands.size() - 1);
                height = Math.max(height, last.path("y").asInt() + last.path("height").asInt());
            }
        }
        return Math.min(height, HeatmapQuery.MAX_LAYOUT_HEIGHT);
    }

    private Map<String, Object> screenshot(Site site, Capture capture) {
        List<Map<String, Object>> tiles = new ArrayList<>();
        for (Capture.TileRef ref : capture.tiles()) {
            CaptureImage image = captures.tile(site.id(), capture.id(), ref.index()).orElse(null);
            if (image == null) continue;
            tiles.add(Map.of("y", ref.y(), "height", ref.height(),
                    "src", "data:" + image.contentType() + ";base64," + Base64.getEncoder().encodeToString(image.bytes())));
        }
        Map<String, Object> shot = new LinkedHashMap<>();
        shot.put("width", capture.width());
        shot.put("height", capture.height());
        shot.put("capturedAt", capture.capturedAt() == null ? null : capture.capturedAt().toString());
        shot.put("tiles", tiles);
        return shot;
    }

    private static String title(ExportSources.View view, ExportOptions options) {
        return "Isotherm " + options.map() + " map · " + view.device() + " · " + view.from() + " – " + view.to() + " · " + options.page();
    }

    private static String json(Object model) {
        try {
            return JSON.writeValueAsString(model);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
