package io.isotherm.dashboard.export;

import io.isotherm.capture.CaptureFailure;
import io.isotherm.capture.HtmlSnapshot;
import io.isotherm.dashboard.ApiError;
import io.isotherm.dashboard.access.Access;
import io.isotherm.dashboard.access.SiteAccess;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/** {@code GET /api/sites/{site}/export}: a view as PNG, CSV or interactive HTML, saved as a file (docs/API.md). */
public final class ExportApi {
    private final Exporter exporter;

    public ExportApi(Exporter exporter) {
        this.exporter = exporter;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/api/sites/{site}/export", this::export, Access.SITE_READ);
    }

    private void export(Context ctx) {
        ExportOptions options = ExportOptions.parse(ctx::queryParam);
        Exporter.Export export;
        try {
            export = exporter.export(SiteAccess.site(ctx), options);
        } catch (HtmlSnapshot.Busy e) {
            throw ApiError.unavailable(5, "the PNG export is busy: " + e.getMessage());
        } catch (CaptureFailure e) {
            throw ApiError.unavailable(30, "the PNG export failed: " + e.getMessage());
        }
        ctx.header("Content-Disposition", "attachment; filename=\"" + export.filename() + "\"");
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(export.contentType()).result(export.body());
    }
}
