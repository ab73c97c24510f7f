package io.isotherm.capture;

import io.isotherm.grid.Layouts;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.isotherm.capture.CaptureFailure.Reason.LOAD_FAILED;

/** One capture inside a started browser: intercept, navigate, settle, measure, judge, shoot. */
final class CaptureRun {
    private static final Pattern NET_ERROR = Pattern.compile("net::ERR_[A-Z_]+");
    /** Chromium's error for an error status with an empty body: it shows an error page of its own instead. */
    private static final String EMPTY_ERROR_RESPONSE = "net::ERR_HTTP_RESPONSE_CODE_FAILURE";

    private final CaptureTarget target;
    private final Device device;
    private final UrlGuard guard;
    private final CaptureSettings settings;
    private final Deadline deadline;

    CaptureRun(CaptureTarget target, Device device, UrlGuard guard, CaptureSettings settings, Deadline deadline) {
        this.target = target;
        this.device = device;
        this.guard = guard;
        this.settings = settings;
        this.deadline = deadline;
    }

    Shot run(Browser browser) throws CaptureFailure, InterruptedException {
        ChromeDriver driver = browser.launch();
        // Before anything is loaded: every request from the first one on is checked.
        try (TrafficGuard traffic = new TrafficGuard(browser.devTools(), driver.getWindowHandle(), guard, settings.maxBytes())) {
            try {
                return shoot(driver, traffic);
            } catch (WebDriverException e) {
                traffic.throwIfFailed(); // a refused navigation or the size limit makes later commands fail: say why
                throw e;
            }
        }
    }

    private Shot shoot(ChromeDriver driver, TrafficGuard traffic) throws CaptureFailure, InterruptedException {
        driver.manage().timeouts().pageLoadTimeout(deadline.remaining());
        driver.manage().timeouts().scriptTimeout(deadline.remaining());
        PageScripts page = new PageScripts(driver);
        navigate(driver, traffic);
        new Settle(page, traffic, deadline, device.viewportHeight, settings.maxHeight()).run();

        URI finalUrl = finalUrl(driver, traffic);
        // A phone shows a page without a viewport meta tag zoomed out (laid out 980 CSS px wide): the screenshot then
        // holds more CSS px than image px, and boxes and heights are scaled to the image, which is the layout.
        double scale = Math.min(1, target.layoutWidth() / (double) Math.max(1, page.layoutViewportWidth()));
        List<ElementBox> elements = scaled(page.elementBoxes(Layouts.MAX_ELEMENTS), scale);
        Integer status = traffic.mainResponse().map(TrafficGuard.MainResponse::status).orElse(null);
        String statusText = traffic.mainResponse().map(TrafficGuard.MainResponse::statusText).orElse("");
        FlagDetector.Verdict verdict = FlagDetector.judge(page.signals(), status, statusText, target.url(), finalUrl);
        String title = page.title(); // after settling: single-page apps set their title from script

        int documentHeight = (int) Math.round(page.documentHeight() * scale);
        int height = Math.min(documentHeight, settings.maxHeight());
        List<Tile> tiles = new Stitcher(driver, page, target.layoutWidth(), device.viewportHeight, scale).shoot(height);
        traffic.throwIfFailed();
        return new Shot(finalUrl, status, verdict.flag(), verdict.reason(), target.layoutWidth(), height,
                documentHeight > height, tiles, elements, title);
    }

    private static List<ElementBox> scaled(List<ElementBox> boxes, double scale) {
        if (scale == 1) return boxes;
        return boxes.stream().map(b -> new ElementBox(b.selector(), (int) Math.round(b.x() * scale), (int) Math.round(b.y() * scale),
                (int) Math.round(b.width() * scale), (int) Math.round(b.height() * scale), b.label())).toList();
    }

    private void navigate(ChromeDriver driver, TrafficGuard traffic) throws CaptureFailure {
        try {
            driver.get(target.url().toString());
        } catch (org.openqa.selenium.TimeoutException e) {
            traffic.throwIfFailed();
            throw PageCapturer.timedOut(target, settings);
        } catch (WebDriverException e) {
            traffic.throwIfFailed();
            String error = traffic.navigationError().or(() -> netError(e.getMessage())).orElse(Browser.firstLine(e));
            // The server did answer: capture Chromium's error page, which the status flags.
            if (error.equals(EMPTY_ERROR_RESPONSE) && traffic.mainResponse().isPresent()) return;
            throw loadFailed(error, e);
        }
    }

    /** Where the browser is; the response's URL when Chromium shows its own error page for an empty error response. */
    private URI finalUrl(ChromeDriver driver, TrafficGuard traffic) throws CaptureFailure {
        String current = driver.getCurrentUrl();
        if (current != null && !current.startsWith("chrome-error:")) return URI.create(current);
        Optional<TrafficGuard.MainResponse> response = traffic.mainResponse().filter(r -> r.status() >= 400);
        if (response.isPresent()) return response.get().url();
        throw loadFailed(traffic.navigationError().orElse("Chromium showed an error page"), null);
    }

    private CaptureFailure loadFailed(String error, Throwable cause) {
        return new CaptureFailure(LOAD_FAILED, target.url() + " could not be loaded (" + error + "). "
                + "Check that the URL opens from the server running Isotherm.", cause);
    }

    private static Optional<String> netError(String message) {
        Matcher m = NET_ERROR.matcher(String.valueOf(message));
        return m.find() ? Optional.of(m.group()) : Optional.empty();
    }
}
