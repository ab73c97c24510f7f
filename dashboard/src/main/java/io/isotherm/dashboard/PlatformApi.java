package io.isotherm.dashboard;

import io.isotherm.aggregator.AggregatorSettings;
import io.isotherm.dashboard.access.Access;
import io.javalin.config.JavalinConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/platform}: the platform's device classes (name, label, layout width) for the viewer, and its defaults
 * that a site's settings can override, for the settings form.
 */
final class PlatformApi {
    private final Map<String, Object> body = new LinkedHashMap<>();

    PlatformApi(AggregatorSettings aggregation, DashboardSettings settings) {
        body.put("devices", List.of("desktop", "tablet", "mobile").stream()
                .map(d -> Map.of("name", d, "label", d.substring(0, 1).toUpperCase() + d.substring(1),
                        "layoutWidth", aggregation.layoutWidth(d))).toList());
        body.put("mobileBelow", settings.mobileBelow());
        body.put("tabletBelow", settings.tabletBelow());
        body.put("retentionDays", aggregation.retentionDays());
        body.put("publicUrl", settings.access().publicUrl() == null ? null : settings.access().publicUrl().toString());
        body.put("access", settings.access().mode().label());
    }

    void routes(JavalinConfig config) {
        config.routes.get("/api/platform", ctx -> ctx.json(body), Access.SIGNED_IN);
    }
}
