package io.isotherm.grid;

import io.isotherm.db.device.DeviceClass;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The shape of every count grid: the cell size, and per device class the width of its layout (the screenshot's
 * width, to which visitors' x positions are scaled), and the height of the histograms' buckets. The aggregator bins with it, the dashboard reads and captures
 * with it, and the viewer gets the widths from {@code GET /api/platform}.
 *
 * @param cellSize     side of a count-grid cell in CSS px of the layout
 * @param bucketPx     bucket height in px of the scroll depth, viewport height and attention histograms
 * @param layoutWidths layout width per device class name, in CSS px
 */
public record GridGeometry(int cellSize, int bucketPx, Map<String, Integer> layoutWidths) {
    public static final Map<String, Integer> DEFAULT_LAYOUT_WIDTHS = Map.of("desktop", 1440, "tablet", 820, "mobile", 390);

    public GridGeometry {
        if (cellSize < 1 || cellSize > 256) throw new IllegalArgumentException("cell size must be 1 to 256 px, got " + cellSize);
        if (bucketPx < 1) throw new IllegalArgumentException("bucket must be at least 1 px, got " + bucketPx);
        if (!layoutWidths.keySet().equals(Set.copyOf(DeviceClass.NAMES))) {
            throw new IllegalArgumentException("layout widths must name exactly " + DeviceClass.namesText() + ", got " + layoutWidths.keySet());
        }
        Map<String, Integer> ordered = new LinkedHashMap<>();
        for (String device : DeviceClass.NAMES) {
            Integer width = layoutWidths.get(device);
            if (width == null || width < 100 || width > 10_000) {
                throw new IllegalArgumentException("layout width for " + device + " must be 100 to 10000 px, got " + width);
            }
            ordered.put(device, width);
        }
        layoutWidths = Collections.unmodifiableMap(ordered);
    }

    public static GridGeometry defaults() {
        return new GridGeometry(8, 50, DEFAULT_LAYOUT_WIDTHS);
    }

    /** @throws IllegalArgumentException for a name that is not a device class */
    public int layoutWidth(String device) {
        Integer width = layoutWidths.get(device);
        if (width == null) DeviceClass.parse(device);
        return width;
    }
}
