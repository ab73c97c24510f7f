package io.isotherm.capture;

import java.time.Duration;

/**
 * Waits until the page looks as a visitor would see it: loaded, fonts in, network quiet, a scroll container unrolled,
 * lazy content pulled in by scrolling through the page one viewport at a time, images decoded; then back at the top. Every wait is bounded
 * and capped by the capture's deadline, so a busy page is captured as it is rather than not at all.
 */
final class Settle {
    private static final Duration LOAD_MAX = Duration.ofSeconds(10);
    private static final Duration FONTS_MAX = Duration.ofSeconds(3);
    private static final Duration QUIET = Duration.ofMillis(500);
    private static final Duration IDLE_MAX = Duration.ofSeconds(5);
    private static final Duration STEP_PAUSE = Duration.ofMillis(150);
    private static final Duration IMAGES_MAX = Duration.ofSeconds(3);
    private static final Duration AT_TOP_PAUSE = Duration.ofMillis(300);

    private final PageScripts page;
    private final TrafficGuard traffic;
    private final Deadline deadline;
    private final int viewportHeight;
    private final int maxHeight;

    Settle(PageScripts page, TrafficGuard traffic, Deadline deadline, int viewportHeight, int maxHeight) {
        this.page = page;
        this.traffic = traffic;
        this.deadline = deadline;
        this.viewportHeight = viewportHeight;
        this.maxHeight = maxHeight;
    }

    void run() throws CaptureFailure, InterruptedException {
        awaitLoad();
        page.awaitFonts(deadline.cap(FONTS_MAX));
        traffic.awaitIdle(QUIET, deadline.cap(IDLE_MAX));
        traffic.throwIfFailed();
        page.freezeMotion();
        // An app that scrolls a container is shot whole: unrolled first, so scrolling through loads its lazy content too.
        page.unrollScrollRoot();
        int bottom = scrollThrough();
        page.awaitImages(bottom, deadline.cap(IMAGES_MAX));
        traffic.awaitIdle(QUIET, deadline.cap(IDLE_MAX));
        traffic.throwIfFailed();
        page.scrollTo(0);
        Thread.sleep(deadline.cap(AT_TOP_PAUSE).toMillis());
        traffic.throwIfFailed();
    }

    /** A script or meta refresh may have started another document since the navigation returned. */
    private void awaitLoad() throws CaptureFailure, InterruptedException {
        long end = System.nanoTime() + deadline.cap(LOAD_MAX).toNanos();
        while (!page.documentComplete() && System.nanoTime() < end) {
            traffic.throwIfFailed();
            Thread.sleep(100);
        }
    }

    /** One viewport at a time down to the captured height (which lazy content may grow); returns how far it got. */
    private int scrollThrough() throws CaptureFailure, InterruptedException {
        int y = 0;
        while (y + viewportHeight < Math.min(page.documentHeight(), maxHeight)) {
            y += viewportHeight;
            page.scrollTo(y);
            Thread.sleep(deadline.cap(STEP_PAUSE).toMillis());
            traffic.throwIfFailed();
        }
        return y + viewportHeight;
    }
}
