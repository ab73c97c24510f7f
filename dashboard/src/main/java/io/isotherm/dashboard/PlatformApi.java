package io.isotherm.dashboard;

import io.isotherm.dashboard.access.Access;
import io.isotherm.db.device.DeviceClass;
import io.isotherm.grid.GridGeometry;
import io.javalin.config.JavalinConfig;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/platform}: the platform's device classes (name, label, layout width) for the viewer, and its defaults
 * that a site's settings can override, for the settings form.
 */
final class PlatformApi {
    private final Map<String, Object> body = new LinkedHashMap<>();

    PlatformApi(GridGeometry grid, DashboardSettings settings) {
        body.put("devices", Arrays.stream(DeviceClass.values())
                .map(d -> Map.of("name", d.sqlName(), "label", d.label(), "layoutWidth", grid.layoutWidth(d.sqlName()))).toList());
        body.put("mobileBelow", settings.deviceWidths().mobileBelow());
        body.put("tabletBelow", settings.deviceWidths().tabletBelow());
        body.put("retentionDays", settings.retentionDays());
        body.put("publicUrl", settings.access().publicUrl() == null ? null : settings.access().publicUrl().toString());
        body.put("access", settings.access().mode().label());
    }

    void routes(JavalinConfig config) {
        config.routes.get("/api/platform", ctx -> ctx.json(body), Access.SIGNED_IN);
    }
}
