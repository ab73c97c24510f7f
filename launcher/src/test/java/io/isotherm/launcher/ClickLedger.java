package io.isotherm.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the visitors of {@link AppPagesAccuracyTest} did, as the truth the platform's answers are held to: every click
 * (its page, device class, the tracker's selector for its target, whether the target is interactive, where in the
 * target's box it landed, whether the capture can see the target), and what the container app measured.
 */
final class ClickLedger {
    /** Whether the page's capture shows the clicked element. */
    enum Sight {
        /** On the screenshot: the click is drawn in the element's box there. */
        ON_CAPTURE,
        /** Only after an interaction (items loaded later): listed without a box, not drawn. */
        NOT_ON_CAPTURE,
        /** A fixed button shown only after scrolling: drawn where it would stand on the screenshot's first screen. */
        FIXED_OFF_CAPTURE,
        /**
         * A link in a fixed drawer the visitor opened (off the page on the capture): listed without a box, drawn where
         * it stood in the visitor's window, high in it, on the screenshot's first screen (x scaled to the layout).
         */
        OPENED_FIXED
    }

    /**
     * One click. For the fixed sights, {@code left} and {@code top} are the target's place in the window,
     * {@code right} and {@code bottom} its distances from the window's right and bottom edges and
     * {@code width}/{@code height} its size, in CSS px; else 0.
     */
    record Click(String selector, boolean interactive, Sight sight, double boxX, double boxY,
                 double left, double top, double right, double bottom, double width, double height) {
        /** The window's width the click was made in (fixed sights only). */
        double windowWidth() {
            return left + width + right;
        }
    }

    /** A page (its URL as the read API takes it) on a device class. */
    record View(String page, String device) {}

    private final Map<View, List<Click>> clicks = new LinkedHashMap<>();
    private final Map<View, List<Integer>> folds = new LinkedHashMap<>();
    private final Map<View, Integer> unrolledHeights = new LinkedHashMap<>();

    void click(String page, String device, String selector, boolean interactive, Sight sight, AppVisitor.Press press) {
        add(page, device, new Click(selector, interactive, sight, press.boxX(), press.boxY(), 0, 0, 0, 0, 0, 0));
    }

    /** A click on a fixed target the capture does not show, at {@code box} in a window of that size. */
    void fixedClick(String page, String device, String selector, Sight sight, AppVisitor.Press press, AppVisitor.Box box,
                    int windowWidth, int windowHeight) {
        add(page, device, new Click(selector, true, sight, press.boxX(), press.boxY(), box.left(), box.top(),
                windowWidth - box.left() - box.width(), windowHeight - box.top() - box.height(), box.width(), box.height()));
    }

    private void add(String page, String device, Click click) {
        clicks.computeIfAbsent(new View(page, device), k -> new ArrayList<>()).add(click);
    }

    /** A page view's fold: the bottom of what it showed at scroll 0 (with a scroll container, the container's). */
    void fold(String page, String device, int fold) {
        folds.computeIfAbsent(new View(page, device), k -> new ArrayList<>()).add(fold);
    }

    /** The height of a page with its scroll container laid out at full height, as a visitor's browser measured it. */
    void unrolledHeight(String page, String device, int height) {
        unrolledHeights.putIfAbsent(new View(page, device), height);
    }

    Map<View, List<Click>> views() {
        return clicks;
    }

    List<Click> clicks(View view) {
        return clicks.getOrDefault(view, List.of());
    }

    List<Integer> folds(View view) {
        return folds.getOrDefault(view, List.of());
    }

    Integer unrolledHeight(View view) {
        return unrolledHeights.get(view);
    }

    long total() {
        return clicks.values().stream().mapToLong(List::size).sum();
    }

    /** Per selector of a view, in the order first clicked: its clicks and how many of them were dead. */
    Map<String, long[]> perSelector(View view) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (Click c : clicks(view)) {
            long[] n = counts.computeIfAbsent(c.selector(), k -> new long[2]);
            n[0]++;
            if (!c.interactive()) n[1]++;
        }
        return counts;
    }

    long count(View view, Sight sight) {
        return clicks(view).stream().filter(c -> c.sight() == sight).count();
    }
}
