package io.isotherm.dashboard;

import io.isotherm.grid.Heatmap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The heatmap as the viewer reads it (docs/API.md, {@code heatmap.bin}): the header's length as a little-endian
 * uint32, the JSON header, zero padding to a multiple of 4 bytes, then the values as float32 and the counts as
 * int32, little-endian, so a browser can view them as a Float32Array and an Int32Array without copying.
 */
final class HeatmapBinary {
    private HeatmapBinary() {
    }

    static byte[] encode(String headerJson, Heatmap map) {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        int start = (4 + header.length + 3) / 4 * 4;
        int cells = map.values().length;
        ByteBuffer out = ByteBuffer.allocate(start + cells * 8).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(header.length).put(header).position(start);
        out.asFloatBuffer().put(map.values());
        out.position(start + cells * 4);
        out.asIntBuffer().put(map.counts());
        return out.array();
    }
}
