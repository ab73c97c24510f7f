package io.isotherm.collector;

import io.isotherm.testing.Chromium;
import io.isotherm.testing.WindowBox;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One real headless Chromium ({@link Chromium}), shared by the tests of a class. Each test opens its page in a fresh tab and closes it; the first tab stays open
 * so the browser outlives every test. The window is {@link #WIDTH} x {@link #HEIGHT}; the viewport is as wide, and
 * lower by the height of the browser's own bars.
 */
final class BrowserSession implements AutoCloseable {
    static final int WIDTH = 1280;
    static final int HEIGHT = 800;

    /** An element's border box in viewport px, as {@code getBoundingClientRect} reports it. */
    record Box(double left, double top, double width, double height) {
        /** A whole viewport px at the given fractions of the box, as a mouse can reach it. */
        int x(double fraction) {
            return (int) Math.round(left + fraction * width);
        }

        int y(double fraction) {
            return (int) Math.round(top + fraction * height);
        }

        /** Where a viewport px lies inside the box, 0..1: what the tracker reports as boxX / boxY. */
        double fractionX(int x) {
            return (x - left) / width;
        }

        double fractionY(int y) {
            return (y - top) / height;
        }
    }

    private final ChromeDriver driver;
    private final String home;

    private BrowserSession(ChromeDriver driver) {
        this.driver = driver;
        this.home = driver.getWindowHandle();
    }

    /** @param profile an empty directory for the browser's profile (a JUnit {@code @TempDir}) */
    static BrowserSession start(Path profile) {
        return new BrowserSession(Chromium.window(WIDTH, HEIGHT).profile(profile)
                .userAgent(CollectorServer.CHROME_UA) // the collector stores nothing for "HeadlessChrome": it is on the bot list
                .timeouts(Duration.ofSeconds(10), Duration.ofSeconds(20))
                .start());
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Loads {@code url} in a new tab, which becomes the current one. */
    void open(String url) {
        newTab();
        load(url);
    }

    /** Opens an empty tab and makes it current: set it up with {@link #beforeLoad} or {@link #cdp}, then {@link #load} a page. */
    void newTab() {
        driver.switchTo().newWindow(WindowType.TAB);
    }

    /** Runs {@code source} in every page the current tab loads from now on, before any of the page's own scripts. */
    void beforeLoad(String source) {
        cdp("Page.enable", Map.of());
        cdp("Page.addScriptToEvaluateOnNewDocument", Map.of("source", source));
    }

    /**
     * Opens an empty tab that shows pages on the given screen: {@code width} x {@code height} CSS px at
     * {@code dpr} device px per CSS px; {@code mobile} makes it a phone (the page's viewport meta tag applies).
     */
    void newTab(int width, int height, double dpr, boolean mobile) {
        newTab();
        cdp("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", dpr, "mobile", mobile));
    }

    /** Loads {@code url} in the current tab and returns after its load event (so after the deferred tracker ran). */
    void load(String url) {
        driver.get(url);
    }

    /**
     * Closes the current tab right away, as a visitor closing it would: the page gets visibilitychange and pagehide,
     * and the tracker sends what it holds with sendBeacon. (Navigating the tab away and closing it at once is no
     * substitute: Chromium then sometimes drops the beacon of the page it put into the back/forward cache.)
     */
    void closeTab() {
        driver.close();
        driver.switchTo().window(home);
    }

    /** Closes every tab but the first, whatever a failed test left open. */
    void closeOtherTabs() {
        for (String handle : new ArrayList<>(driver.getWindowHandles())) {
            if (!handle.equals(home)) {
                driver.switchTo().window(handle).close();
            }
        }
        driver.switchTo().window(home);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    double number(String expression) {
        return ((Number) js("return " + expression)).doubleValue();
    }

    Box box(String selector) {
        @SuppressWarnings("unchecked")
        Map<String, Number> r = (Map<String, Number>) js("""
                const r = document.querySelector(arguments[0]).getBoundingClientRect();
                return {left: r.left, top: r.top, width: r.width, height: r.height};""", selector);
        return new Box(r.get("left").doubleValue(), r.get("top").doubleValue(), r.get("width").doubleValue(),
                r.get("height").doubleValue());
    }

    /**
     * The box, in this window's viewport, of the element a JavaScript expression finds: also one inside a shadow root
     * ({@code document.querySelector('#pay').shadowRoot.querySelector('span')}) or inside a same-origin frame
     * ({@code document.querySelector('iframe').contentDocument.querySelector('button')}), whose box in the frame's
     * viewport is moved by where the frame's content lies (the iframe's box plus its border).
     */
    Box boxOf(String element) {
        WindowBox b = WindowBox.of((JavascriptExecutor) driver, element);
        return new Box(b.left(), b.top(), b.width(), b.height());
    }

    /**
     * Scrolls the window (or, with a selector, that element) to {@code top} and returns once the page's scroll event
     * has been handled: the tracker listens in the capture phase, so it is done before the page's own listener runs.
     */
    void scrollTo(String selector, int top) {
        ((JavascriptExecutor) driver).executeAsyncScript("""
                const [selector, top, done] = arguments;
                const scroller = selector ? document.querySelector(selector) : document.scrollingElement;
                if (Math.round(scroller.scrollTop) === top) return done();
                (selector ? scroller : window).addEventListener('scroll', () => done(), {once: true});
                scroller.scrollTop = top;""", selector, top);
    }

    void scrollTo(int top) {
        scrollTo(null, top);
    }

    /** A trusted left click at a viewport point. */
    void click(int x, int y) {
        clicks(new int[][]{{x, y}});
    }

    /** Trusted left clicks at the given viewport points, as one quick burst. */
    void clicks(int[][] points) {
        PointerInput mouse = new PointerInput(PointerInput.Kind.MOUSE, "mouse");
        Sequence sequence = new Sequence(mouse, 0);
        for (int[] p : points) {
            sequence.addAction(mouse.createPointerMove(Duration.ZERO, PointerInput.Origin.viewport(), p[0], p[1]));
            sequence.addAction(mouse.createPointerDown(PointerInput.MouseButton.LEFT.asArg()));
            sequence.addAction(mouse.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
        }
        driver.perform(List.of(sequence));
    }

    /** A trusted tap with a finger at one viewport point. */
    void tap(int x, int y) {
        PointerInput finger = new PointerInput(PointerInput.Kind.TOUCH, "finger");
        Sequence sequence = new Sequence(finger, 0)
                .addAction(finger.createPointerMove(Duration.ZERO, PointerInput.Origin.viewport(), x, y))
                .addAction(finger.createPointerDown(PointerInput.MouseButton.LEFT.asArg()))
                .addAction(finger.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
        driver.perform(List.of(sequence));
    }

    /**
     * One trusted mouse move to a viewport point (other than the current one), straight through the DevTools protocol,
     * and returns once the page has seen it. Chromium hands the page one mousemove per frame with the latest position:
     * without the wait, a busy renderer would merge this move into the next.
     */
    void moveMouse(int x, int y) {
        js("""
                window.seenMove = null;
                if (!window.watchingMoves) {
                  window.watchingMoves = true;
                  addEventListener('mousemove', (e) => { window.seenMove = e.clientX + ',' + e.clientY; }, true);
                }""");
        cdp("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!(x + "," + y).equals(js("return window.seenMove"))) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the page saw no mousemove to " + x + "," + y);
            }
        }
    }

    /** Waits, as a visitor doing nothing would. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    Map<String, Object> cdp(String command, Map<String, Object> parameters) {
        return driver.executeCdpCommand(command, parameters);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
