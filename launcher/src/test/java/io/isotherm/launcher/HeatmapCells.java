package io.isotherm.launcher;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A heatmap as the read API answers it with {@code raw=true}: where clicks are drawn, read from its cells (the raw
 * counts) and its smoothed values. Boxes and points are in layout px.
 */
record HeatmapCells(int cell, int columns, int rows, JsonNode counts, JsonNode values) {
    static HeatmapCells of(JsonNode heatmap) {
        return new HeatmapCells(heatmap.get("cellSize").asInt(), heatmap.get("columns").asInt(), heatmap.get("rows").asInt(),
                heatmap.get("counts"), heatmap.get("values"));
    }

    /** The clicks drawn in cells wholly inside the box. */
    long countInside(int x, int y, int width, int height) {
        long n = 0;
        for (int r = first(y); r < rows && (r + 1) * cell <= y + height; r++) {
            for (int c = first(x); c < columns && (c + 1) * cell <= x + width; c++) n += counts.get(r * columns + c).asLong();
        }
        return n;
    }

    /** The clicks drawn in cells wholly inside at least one of the boxes (x, y, width, height). */
    long countInsideAny(List<int[]> boxes) {
        long n = 0;
        for (int i = 0; i < rows * columns; i++) {
            int x = i % columns * cell, y = i / columns * cell;
            if (boxes.stream().anyMatch(b -> x >= b[0] && y >= b[1] && x + cell <= b[0] + b[2] && y + cell <= b[1] + b[3])) {
                n += counts.get(i).asLong();
            }
        }
        return n;
    }

    /** Each cell wholly inside the box with clicks drawn in it, as "(x, y) px: n", for messages. */
    List<String> drawnInside(int x, int y, int width, int height) {
        List<String> drawn = new ArrayList<>();
        for (int r = first(y); r < rows && (r + 1) * cell <= y + height; r++) {
            for (int c = first(x); c < columns && (c + 1) * cell <= x + width; c++) {
                long n = counts.get(r * columns + c).asLong();
                if (n > 0) drawn.add("(" + c * cell + ", " + r * cell + ") px: " + n);
            }
        }
        return drawn;
    }

    /** Each cell with clicks drawn in it that lies wholly inside none of the boxes (x, y, width, height), for messages. */
    List<String> drawnOutside(List<int[]> boxes) {
        List<String> drawn = new ArrayList<>();
        for (int i = 0; i < rows * columns; i++) {
            long n = counts.get(i).asLong();
            int x = i % columns * cell, y = i / columns * cell;
            if (n > 0 && boxes.stream().noneMatch(b -> x >= b[0] && y >= b[1] && x + cell <= b[0] + b[2] && y + cell <= b[1] + b[3])) {
                drawn.add("(" + x + ", " + y + ") px: " + n);
            }
        }
        return drawn;
    }

    /**
     * The centre of mass of the smoothed values within 4 cells of (x, y), a cell's value at its centre: where a spot
     * is drawn, when no other spot is that near (NaN, NaN where nothing is drawn).
     */
    double[] centreOfSpot(double x, double y) {
        int cx = (int) (x / cell), cy = (int) (y / cell);
        double sum = 0, sx = 0, sy = 0;
        for (int r = Math.max(cy - 4, 0); r <= Math.min(cy + 4, rows - 1); r++) {
            for (int c = Math.max(cx - 4, 0); c <= Math.min(cx + 4, columns - 1); c++) {
                double v = values.get(r * columns + c).asDouble();
                sum += v;
                sx += v * (c + 0.5) * cell;
                sy += v * (r + 0.5) * cell;
            }
        }
        return sum > 0 ? new double[] {sx / sum, sy / sum} : new double[] {Double.NaN, Double.NaN};
    }

    /** The first cell index whose cell starts at or after {@code px}. */
    private int first(int px) {
        return Math.max(0, Math.floorDiv(px + cell - 1, cell));
    }
}
