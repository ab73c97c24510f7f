package io.isotherm.capture;

import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static io.isotherm.capture.CaptureFailure.Reason.TIMEOUT;

/**
 * A PNG of a self-contained HTML document (one that needs no network: the heatmap exports), rendered by the capture's
 * headless Chromium from a temporary file. At most {@link #CONCURRENT} run at once; a render taller than
 * {@link #MAX_HEIGHT_PX} is scaled down to that height, since a browser cannot paint much taller images in one piece.
 */
public final class HtmlSnapshot {
    public static final int CONCURRENT = 2;
    public static final int MAX_HEIGHT_PX = 16_384;

    /** No browser became free in time. */
    public static final class Busy extends Exception {
        Busy(String message) {
            super(message, null, false, false);
        }
    }

    private final CaptureSettings settings;
    private final Duration wait;
    private final Semaphore browsers = new Semaphore(CONCURRENT, true);

    /** @param wait how long a render waits for one of the browsers before it is refused */
    public HtmlSnapshot(CaptureSettings settings, Duration wait) {
        this.settings = settings;
        this.wait = wait;
    }

    /**
     * Renders {@code html} at {@code width} × {@code height} CSS px, once the document sets
     * {@code data-ready} on its root element (its scripts have drawn everything), within the capture timeout.
     */
    public byte[] png(String html, int width, int height) throws Busy, CaptureFailure {
        Browser.checkInstalled(settings);
        try {
            if (!browsers.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new Busy("every export browser is busy; try again in a moment");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy("interrupted while waiting for an export browser");
        }
        Path file = null;
        try (Browser browser = new Browser(settings, Device.DESKTOP, width)) {
            file = Files.createTempFile("isotherm-export-", ".html");
            Files.writeString(file, html, StandardCharsets.UTF_8);
            ChromeDriver driver = browser.launch();
            driver.get(file.toUri().toString());
            Deadline deadline = Deadline.after(settings.timeout());
            while (!Boolean.TRUE.equals(driver.executeScript("return document.documentElement.dataset.ready === '1'"))) {
                if (deadline.remaining().isZero()) {
                    throw new CaptureFailure(TIMEOUT, "the export did not finish drawing within " + settings.timeout().toSeconds() + " s");
                }
                Thread.sleep(50);
            }
            double scale = Math.min(1.0, (double) MAX_HEIGHT_PX / height);
            Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                    "captureBeyondViewport", true,
                    "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", scale)));
            return Base64.getDecoder().decode((String) shot.get("data"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureFailure(TIMEOUT, "the export was interrupted");
        } finally {
            browsers.release();
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file; the OS cleans up
                }
            }
        }
    }
}
