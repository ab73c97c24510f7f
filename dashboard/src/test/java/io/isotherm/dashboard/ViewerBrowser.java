package io.isotherm.dashboard;

import io.isotherm.testing.Chromium;
import io.isotherm.testing.ViewerTestHooks;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One real headless Chromium ({@link Chromium}) for the viewer tests of a class, with helpers
 * that read the viewer the way a test needs to: wait until it has drawn, read heat-layer pixels, hover a page point.
 * They read the viewer through {@code window.isothermViewer}, which its test flag brings ({@link ViewerTestHooks}).
 * The window is wide enough for the control bar and a 1440 px desktop layout side by side.
 */
final class ViewerBrowser implements AutoCloseable {
    static final int WIDTH = 1920;
    static final int HEIGHT = 1200;

    /** A pixel of the heat layer, as getImageData reads it (not premultiplied). */
    record Pixel(int r, int g, int b, int a) {
        static Pixel of(Object js) {
            @SuppressWarnings("unchecked")
            List<Number> v = (List<Number>) js;
            return new Pixel(v.get(0).intValue(), v.get(1).intValue(), v.get(2).intValue(), v.get(3).intValue());
        }

        /** The largest difference in one channel of r, g, b. */
        int distance(Pixel o) {
            return Math.max(Math.abs(r - o.r), Math.max(Math.abs(g - o.g), Math.abs(b - o.b)));
        }

        boolean transparent() {
            return a == 0;
        }
    }

    /** The heat-layer pixel nearest to a colour, in page px. */
    record Nearest(int x, int y, int distance) {}

    private final ChromeDriver driver;

    private ViewerBrowser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** @param profile an empty directory for the browser's profile (a JUnit {@code @TempDir}) */
    static ViewerBrowser start(Path profile) {
        // The Export menu's links save into the profile's downloads folder without asking.
        ChromeDriver driver = Chromium.window(WIDTH, HEIGHT).profile(profile)
                .prefs(Map.of("download.default_directory", downloads(profile).toString(), "download.prompt_for_download", false))
                .start();
        ViewerTestHooks.enable(driver);
        return new ViewerBrowser(driver);
    }

    ChromeDriver driver() {
        return driver;
    }

    static Path downloads(Path profile) {
        return profile.toAbsolutePath().resolve("downloads");
    }

    /** Loads a page of the dashboard and, for the viewer, waits until its first view is drawn. */
    void open(String url) {
        driver.get(url);
        if (url.contains("/view")) settle();
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Runs an async script: its last argument is the callback. */
    Object async(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /** Waits until the viewer has loaded and the render under way (if any) has finished and painted. */
    void settle() {
        Object error = async("""
                const done = arguments[arguments.length - 1];
                const wait = () => window.isothermViewer
                  ? window.isothermViewer.ready.then((r) => window.isothermViewer.settled().then(() => done(r.error)))
                  : setTimeout(wait, 20);
                wait();""");
        if (error != null) throw new AssertionError("the viewer did not load: " + error);
    }

    long number(String expression) {
        return ((Number) js("return " + expression)).longValue();
    }

    /** The text of the first element matching css; read again if the viewer replaced the element meanwhile. */
    String text(String css) {
        for (int attempt = 1; ; attempt++) {
            try {
                return driver.findElement(By.cssSelector(css)).getText();
            } catch (StaleElementReferenceException e) {
                if (attempt == 5) throw e;
                pause(50);
            }
        }
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits up to 10 s until an element matching css is displayed. */
    WebElement waitFor(String css) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            for (WebElement e : findAll(css)) if (e.isDisplayed()) return e;
            if (System.nanoTime() - deadline > 0) throw new AssertionError("nothing matches " + css);
            pause(50);
        }
    }

    /** Waits up to 10 s until the text of the first element matching css contains a string. */
    void waitForText(String css, String text) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (findAll(css).isEmpty() || !text(css).contains(text)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(css + " does not say " + text + (findAll(css).isEmpty() ? "" : ": " + text(css)));
            }
            pause(50);
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

    /** Picks an option of a select, as a click on it does. */
    void choose(String select, String value) {
        find("select[name=" + select + "] option[value='" + value + "']").click();
    }

    /** How many resources the page has fetched so far. */
    /**
     * Data requests (fetch) the page has made. Screenshot tiles are images that load lazily while the page settles,
     * so they are not counted. The timing buffer is enlarged first: a full buffer would stop counting silently.
     */
    long requests() {
        js("performance.setResourceTimingBufferSize(100000)");
        return number("performance.getEntriesByType('resource')"
                + ".filter((e) => e.initiatorType === 'fetch' || e.initiatorType === 'xmlhttprequest').length");
    }

    /**
     * Scrolls frame {@code frame} so page point (x, y) is in the middle of it, and waits until it is drawn. Page
     * points are layout px: on screen they are {@code f.scale} CSS px each (the zoom).
     */
    void scrollTo(int frame, int x, int y) {
        async("""
                const [i, x, y, done] = arguments;
                const f = isothermViewer.frames()[i];
                f.scroller.scrollTop = f.page.offsetTop + y * f.scale - f.scroller.clientHeight / 2;
                f.scroller.scrollLeft = Math.max(0, f.page.offsetLeft + x * f.scale - f.scroller.clientWidth / 2);
                requestAnimationFrame(() => requestAnimationFrame(() => done()));""", frame, x, y);
    }

    /** The heat layer's pixel at page point (x, y) of a frame, as drawn after scrolling there. */
    Pixel pixel(int frame, int x, int y) {
        scrollTo(frame, x, y);
        return Pixel.of(js("""
                const [i, x, y] = arguments;
                const f = isothermViewer.frames()[i];
                const c = [...f.heat.element.querySelectorAll('canvas')]
                  .find((c) => y >= +c.dataset.top && y < +c.dataset.top + c.height);
                if (!c) return [0, 0, 0, 0];
                return Array.from(c.getContext('2d').getImageData(x, y - c.dataset.top, 1, 1).data);""", frame, x, y));
    }

    /** The pixel of the whole heat layer (every tile drawn) nearest in colour to an opaque rgb. */
    Nearest nearest(int frame, int r, int g, int b) {
        @SuppressWarnings("unchecked")
        List<Number> v = (List<Number>) js("""
                const [i, r, g, b] = arguments;
                isothermViewer.drawAll();
                let best = [0, 0, 1e9];
                for (const c of isothermViewer.frames()[i].heat.element.querySelectorAll('canvas')) {
                  const top = +c.dataset.top;
                  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  for (let p = 0; p < d.length; p += 4) {
                    if (d[p + 3] < 255) continue;
                    const e = Math.max(Math.abs(d[p] - r), Math.abs(d[p + 1] - g), Math.abs(d[p + 2] - b));
                    if (e < best[2]) best = [(p / 4) % c.width, top + Math.floor(p / 4 / c.width), e];
                  }
                }
                return best;""", frame, r, g, b);
        return new Nearest(v.get(0).intValue(), v.get(1).intValue(), v.get(2).intValue());
    }

    /** Whether any pixel of the heat layer of a frame is not fully transparent. */
    boolean anyHeat(int frame) {
        return (Boolean) js("""
                isothermViewer.drawAll();
                for (const c of isothermViewer.frames()[arguments[0]].heat.element.querySelectorAll('canvas')) {
                  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  for (let p = 3; p < d.length; p += 4) if (d[p] !== 0) return true;
                }
                return false;""", frame);
    }

    /** The palette's top colour, from the viewer's own lookup table. */
    Pixel topColour(String palette) {
        return Pixel.of(js("return isothermViewer.topColour(arguments[0])", palette));
    }

    /** The palette's 256 colours, from the viewer's own lookup table. */
    List<Pixel> lut(String palette) {
        @SuppressWarnings("unchecked")
        List<Object> colours = (List<Object>) js(
                "return Array.from({length: 256}, (_, i) => isothermViewer.colourAt(arguments[0], i))", palette);
        return colours.stream().map(Pixel::of).toList();
    }

    /**
     * Moves the mouse (Selenium Actions) over page point (x, y) of a frame, after scrolling it into view: onto the
     * screen px that holds the middle of layout px (x, y) at the frame's zoom.
     */
    void hover(int frame, int x, int y) {
        scrollTo(frame, x, y);
        int[] at = clientPoint(frame, x + 0.5, y + 0.5);
        new Actions(driver).moveToLocation(at[0], at[1]).perform();
    }

    /** The screen px (viewport CSS px) on which page point (x, y) of a frame is drawn now. */
    int[] clientPoint(int frame, double x, double y) {
        @SuppressWarnings("unchecked")
        Map<String, Number> at = (Map<String, Number>) js("""
                const [i, x, y] = arguments;
                const f = isothermViewer.frames()[i];
                const r = f.page.getBoundingClientRect();
                return {x: Math.floor(r.left + x * f.scale), y: Math.floor(r.top + y * f.scale)};""", frame, x, y);
        return new int[]{at.get("x").intValue(), at.get("y").intValue()};
    }

    /**
     * A page element's box in whole page px of a frame (relative to the page's top left corner), as drawn on screen
     * and taken back through the frame's zoom.
     */
    Map<String, Integer> boxOnPage(int frame, String css) {
        @SuppressWarnings("unchecked")
        Map<String, Number> box = (Map<String, Number>) js("""
                const [i, css] = arguments;
                const f = isothermViewer.frames()[i];
                const s = f.scale;
                const p = f.page.getBoundingClientRect();
                const r = f.page.querySelector(css).getBoundingClientRect();
                return {x: (r.left - p.left) / s, y: (r.top - p.top) / s, width: r.width / s, height: r.height / s};""", frame, css);
        Map<String, Integer> rounded = new java.util.TreeMap<>();
        box.forEach((k, v) -> rounded.put(k, (int) Math.round(v.doubleValue())));
        return rounded;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
