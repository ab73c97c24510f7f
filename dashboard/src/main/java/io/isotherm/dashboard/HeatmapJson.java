package io.isotherm.dashboard;

import io.isotherm.grid.Heatmap;

import java.util.LinkedHashMap;
import java.util.Map;

/** The heatmap as {@code GET …/heatmap} documents it, also what an interactive export hands to the viewer's modules. */
public final class HeatmapJson {
    private HeatmapJson() {
    }

    /** {@code counts} only when the heatmap was read with them. */
    public static Map<String, Object> of(long version, Heatmap map) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", version);
        body.put("cellSize", map.cellSize());
        body.put("columns", map.columns());
        body.put("rows", map.rows());
        body.put("layoutWidth", map.layoutWidth());
        body.put("layoutHeight", map.layoutHeight());
        body.put("sigma", map.sigma());
        body.put("defaultSigma", map.defaultSigma());
        body.put("values", map.values());
        if (map.counts() != null) body.put("counts", map.counts());
        body.put("max", map.max());
        body.put("p99", map.p99());
        body.put("total", map.total());
        body.put("pageviews", map.pageviews());
        body.put("notDrawn", map.notDrawn());
        return body;
    }
}
