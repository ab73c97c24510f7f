package io.isotherm.capture;

import org.openqa.selenium.JavascriptExecutor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The JavaScript the capture runs in the page, with typed results. */
final class PageScripts {
    /** A page title longer than this is cut: enough for any real title, and a bound on what a page can make us store. */
    static final int MAX_TITLE = 300;
    /** An element's label is at most this many characters (code points), as elements.js cuts it. */
    static final int MAX_LABEL = 60;
    private static final Pattern SPACES = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    /** Control characters and the bidirectional overrides: a label is shown as plain text on one line. */
    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\u202A-\\u202E\\u2066-\\u2069]");

    private static final String ELEMENTS = resource("elements.js");
    private static final String FLAGS = resource("flags.js");
    private static final String PINNED = resource("pinned.js");
    private static final String UNROLL = resource("unroll.js");

    /** What the page shows, for {@link FlagDetector}. */
    record Signals(String title, String heading, boolean passwordField, String challenge) {
    }

    private final JavascriptExecutor js;

    PageScripts(JavascriptExecutor js) {
        this.js = js;
    }

    List<ElementBox> elementBoxes(int limit) {
        List<?> rows = (List<?>) js.executeScript(ELEMENTS, limit);
        List<ElementBox> boxes = new ArrayList<>(rows.size());
        for (Object row : rows) {
            List<?> r = (List<?>) row;
            boxes.add(new ElementBox((String) r.get(0), integer(r.get(1)), integer(r.get(2)), integer(r.get(3)), integer(r.get(4)),
                    r.size() > 5 && r.get(5) instanceof String text ? label(text) : null));
        }
        return boxes;
    }

    Signals signals() {
        Map<?, ?> m = (Map<?, ?>) js.executeScript(FLAGS);
        return new Signals((String) m.get("title"), (String) m.get("heading"), Boolean.TRUE.equals(m.get("password")),
                (String) m.get("challenge"));
    }

    /** The page's own title as its tab shows it, trimmed and at most {@value #MAX_TITLE} chars; null when it has none. */
    String title() {
        // The page's own scripts may have replaced document.title with anything; a huge one is cut before it travels.
        Object title = js.executeScript("var t = document.title; return typeof t == 'string' ? t.slice(0, 4 * arguments[0]) : null",
                MAX_TITLE);
        return title instanceof String text ? title(text) : null;
    }

    static String title(String raw) {
        if (raw == null || raw.isBlank()) return null;
        String title = raw.strip();
        if (title.length() <= MAX_TITLE) return title;
        // Never half a surrogate pair: an emoji at the cut is dropped whole.
        int end = Character.isHighSurrogate(title.charAt(MAX_TITLE - 1)) ? MAX_TITLE - 1 : MAX_TITLE;
        return title.substring(0, end).strip();
    }

    /**
     * An element's label as elements.js made it, checked again here: the page's own scripts run beside ours and may
     * have changed what it returns. One line, trimmed, at most {@value #MAX_LABEL} code points; null when empty.
     */
    static String label(String raw) {
        String label = SPACES.matcher(INVISIBLE.matcher(raw).replaceAll(" ")).replaceAll(" ").strip();
        if (label.isEmpty()) return null;
        if (label.codePointCount(0, label.length()) <= MAX_LABEL) return label;
        return label.substring(0, label.offsetByCodePoints(0, MAX_LABEL - 1)).strip() + "…";
    }

    /** Marks the fixed and sticky elements of the first viewport; call at scroll 0. */
    void markPinned() {
        js.executeScript(PINNED, "mark");
    }

    /** Hides the marked elements and everything fixed, so they are not repeated down the stitched page. */
    void hidePinned() {
        js.executeScript(PINNED, "hide");
    }

    /**
     * Lays out a page's scroll container (the tracker's data-scroll-root, or one detected) at its full height, so the
     * document scrolls through all of it; call at scroll 0. Returns whether the page had one.
     */
    boolean unrollScrollRoot() {
        return js.executeScript(UNROLL) != null;
    }

    /** The layout viewport's width in CSS px: the device width, or 980 on a phone when the page has no viewport meta tag. */
    int layoutViewportWidth() {
        return integer(js.executeScript("return document.documentElement.clientWidth"));
    }

    /** The document height as the tracker reports it. */
    int documentHeight() {
        return integer(js.executeScript("return document.documentElement.scrollHeight"));
    }

    /** Scrolls without animation; returns where the browser actually scrolled to (it stops at the bottom). */
    int scrollTo(int y) {
        return integer(js.executeScript("window.scrollTo({top: arguments[0], left: 0, behavior: 'instant'}); "
                + "return Math.round(scrollY)", y));
    }

    boolean documentComplete() {
        return Boolean.TRUE.equals(js.executeScript("return document.readyState == 'complete'"));
    }

    void awaitFonts(Duration max) {
        js.executeAsyncScript("var done = arguments[arguments.length - 1]; setTimeout(done, arguments[0]); "
                + "document.fonts.ready.then(() => done(), () => done())", max.toMillis());
    }

    /** Waits (at most max) for the images above {@code bottom} page px to be loaded or broken. */
    void awaitImages(int bottom, Duration max) {
        js.executeAsyncScript("var done = arguments[arguments.length - 1], bottom = arguments[0], "
                + "until = Date.now() + arguments[1]; "
                + "(function poll() { "
                + "  var pending = [...document.images].filter((i) => !i.complete && i.getBoundingClientRect().top + scrollY < bottom); "
                + "  if (!pending.length || Date.now() > until) return done(); "
                + "  setTimeout(poll, 50); "
                + "})()", bottom, max.toMillis());
    }

    /** Until two frames were drawn: what a scroll or a style change shows is then on screen. */
    void awaitFrames() {
        js.executeAsyncScript("var done = arguments[arguments.length - 1]; "
                + "requestAnimationFrame(() => requestAnimationFrame(() => done()))");
    }

    /** No transitions, animations or smooth scrolling: they would be caught half-way in the screenshots. */
    void freezeMotion() {
        js.executeScript("var s = document.createElement('style'); s.textContent = "
                + "'*,*::before,*::after{transition:none!important;animation-duration:0s!important;scroll-behavior:auto!important}'; "
                + "(document.head || document.documentElement).appendChild(s)");
    }

    private static int integer(Object number) {
        return (int) Math.round(((Number) number).doubleValue());
    }

    private static String resource(String name) {
        try (InputStream in = PageScripts.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
