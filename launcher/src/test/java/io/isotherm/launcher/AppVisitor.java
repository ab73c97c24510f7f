package io.isotherm.launcher;

import io.isotherm.testing.Chromium;
import io.isotherm.testing.WindowBox;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A visitor of {@link AppPagesSite} in one real headless Chromium (Debian's, an ordinary user agent: the collector
 * drops HeadlessChrome as a bot). Each page view gets a tab emulating one {@link Screen}; closing the tab is how the
 * visitor leaves, so the tracker sends what it holds with sendBeacon.
 */
final class AppVisitor implements AutoCloseable {
    /** What a phone's Chrome sends. */
    static final String PHONE_USER_AGENT =
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

    /** A window: CSS px, device px per CSS px, and whether it is a phone (touch, the viewport meta tag applies). */
    record Screen(String name, int width, int height, double dpr, boolean phone) {
        String device() {
            return phone ? "mobile" : "desktop";
        }
    }

    /** An element's border box in the top window's viewport (through frames), CSS px. */
    record Box(double left, double top, double width, double height) {
        int x(double fraction) {
            return (int) Math.round(left + fraction * width);
        }

        int y(double fraction) {
            return (int) Math.round(top + fraction * height);
        }
    }

    /** A click as made: the viewport point and where in the target's box it landed (0..1 each way). */
    record Press(int x, int y, double boxX, double boxY) {}

    private final ChromeDriver driver;
    private final String home;
    private Screen screen;

    AppVisitor(Path profile) {
        // Wider and taller than every desktop screen emulated, so that every point of an emulated one is in the window.
        driver = Chromium.window(1920, 1200).profile(profile).timeouts(Duration.ofSeconds(20), Duration.ofSeconds(30)).start();
        home = driver.getWindowHandle();
    }

    /** Opens {@code url} in a new tab showing {@code screen}; returns once the page loaded and the tracker runs. */
    void open(String url, Screen screen) {
        open(url, null, screen);
    }

    /** The same, as if a link on the page at {@code referrer} (null: none, an address typed) had been followed. */
    void open(String url, String referrer, Screen screen) {
        this.screen = screen;
        driver.switchTo().newWindow(WindowType.TAB);
        cdp("Emulation.setDeviceMetricsOverride", Map.of("width", screen.width(), "height", screen.height(),
                "deviceScaleFactor", screen.dpr(), "mobile", screen.phone()));
        if (screen.phone()) {
            cdp("Emulation.setTouchEmulationEnabled", Map.of("enabled", true, "maxTouchPoints", 5));
            cdp("Emulation.setUserAgentOverride", Map.of("userAgent", PHONE_USER_AGENT));
        }
        if (referrer == null) {
            driver.get(url);
        } else {
            // Unlike get(), a navigation through the DevTools protocol returns before the page has loaded.
            cdp("Page.navigate", Map.of("url", url, "referrer", referrer));
            until(url + " has loaded", () -> "complete".equals(js("return document.readyState")) && url.equals(js("return location.href")));
        }
        until("the tracker of " + url + " has loaded", () -> (Boolean) js(
                "return performance.getEntriesByType('resource').some((e) => e.name.endsWith('/t.js'))"));
        if (number("innerWidth") != screen.width()) {
            throw new AssertionError("the page's window is " + number("innerWidth") + " px wide, not the emulated " + screen.width());
        }
    }

    /**
     * Leaves the page: another tab comes to the front, so the page is hidden and the tracker sends its batch by beacon
     * while the page is still alive; then the page's tab closes (pagehide sends whatever came after, if anything).
     * Closing the tab alone leaves the beacon to the page's last moments, which a busy machine may cut short.
     */
    void leave() {
        String page = driver.getWindowHandle();
        driver.switchTo().newWindow(WindowType.TAB);
        String blank = driver.getWindowHandle();
        pause(100);
        driver.switchTo().window(page).close();
        driver.switchTo().window(blank).close();
        driver.switchTo().window(home);
    }

    /** The box of the element a JavaScript expression finds (in the page, a shadow root or a same-origin frame). */
    Box box(String element) {
        WindowBox b = WindowBox.of((JavascriptExecutor) driver, element);
        return new Box(b.left(), b.top(), b.width(), b.height());
    }

    /** A click (a tap on a phone) at the given fractions of the box of the element {@code element} finds. */
    Press press(String element, double fx, double fy) {
        Box box = box(element);
        int x = box.x(fx), y = box.y(fy);
        if (x < 0 || y < 0 || x >= screen.width() || y >= screen.height()) {
            throw new AssertionError(element + " is not on the screen: " + box);
        }
        // A finger on a phone, else a mouse: two input sources, as chromedriver keeps each source's kind for the session.
        PointerInput pointer = screen.phone() ? new PointerInput(PointerInput.Kind.TOUCH, "finger") : new PointerInput(PointerInput.Kind.MOUSE, "mouse");
        Sequence sequence = new Sequence(pointer, 0)
                .addAction(pointer.createPointerMove(Duration.ZERO, PointerInput.Origin.viewport(), x, y))
                .addAction(pointer.createPointerDown(PointerInput.MouseButton.LEFT.asArg()))
                .addAction(pointer.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
        driver.perform(List.of(sequence));
        return new Press(x, y, (x - box.left()) / box.width(), (y - box.top()) / box.height());
    }

    /**
     * Scrolls the window (selector null) or an element to {@code top} and returns once the page has handled the scroll
     * event (the tracker listens in the capture phase, before the page's own listeners).
     */
    void scrollTo(String selector, int top) {
        driver.executeAsyncScript("""
                const [selector, top, done] = arguments;
                const scroller = selector ? document.querySelector(selector) : document.scrollingElement;
                if (Math.round(scroller.scrollTop) === top) return done();
                (selector ? scroller : window).addEventListener('scroll', () => setTimeout(done, 0), {once: true});
                scroller.scrollTop = top;""", selector, top);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    double number(String expression) {
        return ((Number) js("return " + expression)).doubleValue();
    }

    void until(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("timed out waiting until " + what);
            pause(20);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private void cdp(String command, Map<String, Object> parameters) {
        driver.executeCdpCommand(command, parameters);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
