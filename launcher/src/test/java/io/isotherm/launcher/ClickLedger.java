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
        /** Only after an interaction (loaded later, a closed drawer's link): listed without a box, not drawn. */
        NOT_ON_CAPTURE,
        /** A fixed button shown only after scrolling: drawn where it would stand on the screenshot's first screen. */
        FIXED_OFF_CAPTURE
    }

    /**
     * One click. For {@link Sight#FIXED_OFF_CAPTURE}, {@code right} and {@code bottom} are the target's distances from
     * the window's right and bottom edges and {@code width}/{@code height} its size, in CSS px; else 0.
     */
    record Click(String selector, boolean interactive, Sight sight, double boxX, double boxY,
                 double right, double bottom, double width, double height) {}

    /** A page (its URL as the read API takes it) on a device class. */
    record View(String page, String device) {}

    private final Map<View, List<Click>> clicks = new LinkedHashMap<>();
    private final Map<View, List<Integer>> folds = new LinkedHashMap<>();
    private final Map<View, Integer> unrolledHeights = new LinkedHashMap<>();

    void click(String page, String device, String selector, boolean interactive, Sight sight, AppVisitor.Press press) {
        add(page, device, new Click(selector, interactive, sight, press.boxX(), press.boxY(), 0, 0, 0, 0));
    }

    void fixedClick(String page, String device, String selector, AppVisitor.Press press, double right, double bottom, double width, double height) {
        add(page, device, new Click(selector, true, Sight.FIXED_OFF_CAPTURE, press.boxX(), press.boxY(), right, bottom, width, height));
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
