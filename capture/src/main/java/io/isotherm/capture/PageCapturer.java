package io.isotherm.capture;

import org.apache.commons.lang3.concurrent.BasicThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Optional;
import java.util.function.Function;

import static io.isotherm.capture.CaptureFailure.Reason.TIMEOUT;

/**
 * Full-page screenshots of a site's pages, with the boxes of their elements, in a headless Chromium started for
 * each capture. The browser runs on a thread of its own so that the time limit holds whatever it is doing: when
 * time is up it is killed.
 */
public final class PageCapturer {
    private static final Logger log = LoggerFactory.getLogger(PageCapturer.class);
    /** How long a killed browser's thread gets to clean up (its profile directory) before capture() returns. */
    private static final long CLEANUP_MILLIS = 5_000;

    private final CaptureSettings settings;
    private final Function<CaptureTarget, UrlGuard> guards;

    public PageCapturer(CaptureSettings settings) {
        this(settings, target -> new UrlGuard(target.allowedOrigins(), settings.allowPrivateAddresses()));
    }

    /** For tests: a guard other than the settings' one. */
    PageCapturer(CaptureSettings settings, Function<CaptureTarget, UrlGuard> guards) {
        this.settings = settings;
        this.guards = guards;
    }

    /** Why no capture can start (Chromium or chromedriver missing, and what to install), or empty. */
    public Optional<String> unavailable() {
        try {
            Browser.checkInstalled(settings);
            return Optional.empty();
        } catch (CaptureFailure e) {
            return Optional.of(e.getMessage());
        }
    }

    public Shot capture(CaptureTarget target) throws CaptureFailure {
        long start = System.nanoTime();
        try {
            Shot shot = shoot(target);
            log.info("captured {} device={} ms={} tiles={} elements={} flag={}", target.url(), target.device(),
                    millisSince(start), shot.tiles().size(), shot.elements().size(), shot.flag());
            return shot;
        } catch (CaptureFailure e) {
            log.info("capture of {} device={} failed after {} ms: {}", target.url(), target.device(),
                    millisSince(start), e.reason());
            throw e;
        }
    }

    private Shot shoot(CaptureTarget target) throws CaptureFailure {
        UrlGuard guard = guards.apply(target);
        guard.checkPage(target.url()); // refused URLs never reach a browser
        Browser.checkInstalled(settings);
        Device device = Device.of(target.device());
        Deadline deadline = Deadline.after(settings.timeout());
        Browser browser = new Browser(settings, device, target.layoutWidth());
        FutureTask<Shot> task = new FutureTask<>(() -> {
            try (browser) {
                return new CaptureRun(target, device, guard, settings, deadline).run(browser);
            }
        });
        Thread thread = new BasicThreadFactory.Builder().namingPattern("isotherm-capture-browser").daemon(true).build().newThread(task);
        thread.start();
        try {
            return task.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            stop(browser, thread);
            throw timedOut(target, settings);
        } catch (InterruptedException e) {
            stop(browser, thread);
            Thread.currentThread().interrupt();
            throw new CaptureFailure(TIMEOUT, "The capture of " + target.url() + " was interrupted because Isotherm "
                    + "is stopping. Capture the page again.");
        } catch (ExecutionException e) {
            throw unwrap(e.getCause(), target, deadline);
        }
    }

    static CaptureFailure timedOut(CaptureTarget target, CaptureSettings settings) {
        return timedOut(target, settings.timeout().toSeconds(), null);
    }

    private static CaptureFailure timedOut(CaptureTarget target, long seconds, Throwable cause) {
        return new CaptureFailure(TIMEOUT, "The capture of " + target.url() + " did not finish within " + seconds
                + " s. Check that the page loads quickly from the server running Isotherm, or raise the capture "
                + "timeout.", cause);
    }

    private static void stop(Browser browser, Thread thread) {
        browser.kill();
        try {
            thread.join(CLEANUP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The failure to report for what the browser thread threw; runtime exceptions (bugs) are rethrown. */
    private CaptureFailure unwrap(Throwable cause, CaptureTarget target, Deadline deadline) {
        if (cause instanceof CaptureFailure failure) return failure;
        // A browser command that failed because the time ran out is a timeout, not a bug.
        if (cause instanceof RuntimeException && deadline.remaining().isZero()) {
            return timedOut(target, settings.timeout().toSeconds(), cause);
        }
        if (cause instanceof RuntimeException runtime) throw runtime;
        if (cause instanceof Error error) throw error;
        throw new IllegalStateException(cause);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
