package io.isotherm.bench;

import io.isotherm.grid.GridGeometry;
import io.isotherm.grid.Layouts;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The generated pages' elements: 40 boxes laid out as a grid of sections (4 across on desktop and tablet, stacked on
 * mobile), each inset from its section. A generated click names the box it lands in, with its true position in that
 * box, as the tracker would; a click between boxes names none. The same boxes are stored as the page's layout, so the
 * read side anchors the clicks on them.
 */
final class ElementBoxes {
    static final int COUNT = 40;
    /** Insets of a box in its section, as fractions of the section's width and height. */
    private static final double MARGIN_X = 0.04, MARGIN_Y = 0.10;

    private ElementBoxes() {
    }

    static int columns(String device) {
        return device.equals("mobile") ? 1 : 4;
    }

    static String selector(int box) {
        return "main>section:nth-of-type(" + (box + 1) + ")>a";
    }

    /** Stores the boxes as the page's layout on each device class, whose documents are {@code documentHeight(device)} tall. */
    static void store(Handle h, GridGeometry grid, int siteId, long pageId, ToIntFunction<String> documentHeight) {
        for (var device : grid.layoutWidths().entrySet()) {
            int columns = columns(device.getKey()), rows = COUNT / columns;
            double sectionWidth = (double) device.getValue() / columns, sectionHeight = (double) documentHeight.applyAsInt(device.getKey()) / rows;
            List<Layouts.Box> boxes = new ArrayList<>();
            for (int b = 0; b < COUNT; b++) {
                int column = b % columns, row = b / columns;
                boxes.add(new Layouts.Box(selector(b),
                        (int) Math.round((column + MARGIN_X) * sectionWidth), (int) Math.round((row + MARGIN_Y) * sectionHeight),
                        (int) Math.round((1 - 2 * MARGIN_X) * sectionWidth), (int) Math.round((1 - 2 * MARGIN_Y) * sectionHeight)));
            }
            Layouts.replace(h, siteId, pageId, device.getKey(), boxes, Instant.now());
        }
    }

    /**
     * {@code CROSS JOIN LATERAL (…) alias}: the columns {@code selector}, {@code box_x}, {@code box_y} of the box under
     * document position (x, y), all null between boxes. The arguments are SQL expressions of the enclosing query.
     */
    static String lateral(String alias, String x, String y, String documentWidth, String documentHeight, String device) {
        String columns = "(CASE WHEN " + device + " = 'mobile' THEN 1 ELSE 4 END)";
        String in = """
                (SELECT floor(u)::int AS col, floor(v)::int AS row, u - floor(u) AS fu, v - floor(v) AS fv, %s AS cols
                 FROM (SELECT (%s)::float8 * %s / (%s), (%s)::float8 * (%d / %s) / (%s)) s(u, v))"""
                .formatted(columns, x, columns, documentWidth, y, COUNT, columns, documentHeight);
        return """
                CROSS JOIN LATERAL (
                    SELECT CASE WHEN inside THEN 'main>section:nth-of-type(' || (row * cols + col + 1) || ')>a' END AS selector,
                           CASE WHEN inside THEN ((fu - %1$s) / %3$s)::real END AS box_x,
                           CASE WHEN inside THEN ((fv - %2$s) / %4$s)::real END AS box_y
                    FROM (SELECT *, col < cols AND row < %5$d / cols AND fu >= %1$s AND fu < 1 - %1$s AND fv >= %2$s AND fv < 1 - %2$s AS inside
                          FROM %6$s c) p) %7$s"""
                .formatted(MARGIN_X, MARGIN_Y, 1 - 2 * MARGIN_X, 1 - 2 * MARGIN_Y, COUNT, in, alias);
    }
}
