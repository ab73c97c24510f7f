package io.isotherm.capture;

import org.apache.commons.lang3.concurrent.BasicThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shoots queued captures, one at a time (a headless Chromium takes a core while it renders), and queues a capture
 * for each page × device class that has real traffic (several page views) and never had one, within a per-site
 * hourly limit ({@link CaptureSettings#autoMinPageviews()}, {@link CaptureSettings#autoPerSitePerHour()}). Every dashboard process may run one: the
 * queue lives in PostgreSQL and each capture is claimed by exactly one worker.
 */
public final class CaptureWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CaptureWorker.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration FIRST_EVENTS_SCAN = Duration.ofSeconds(30);
    /** Page views older than this do not count towards a page's automatic capture. */
    private static final int FIRST_EVENTS_DAYS = 7;

    private final CaptureQueue queue;
    private final CaptureResults results;
    private final PageCapturer capturer;
    private final CaptureSettings settings;
    private final Map<String, Integer> layoutWidths;
    private final Clock clock;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(new BasicThreadFactory.Builder().namingPattern("isotherm-capture").daemon(true).build());

    public CaptureWorker(CaptureQueue queue, CaptureResults results, PageCapturer capturer, CaptureSettings settings,
                         Map<String, Integer> layoutWidths, Clock clock) {
        this.queue = queue;
        this.results = results;
        this.capturer = capturer;
        this.settings = settings;
        this.layoutWidths = Map.copyOf(layoutWidths);
        this.clock = clock;
    }

    /** Starts polling the queue; with {@code firstEvents}, also queues captures for pages that got their first events. */
    public CaptureWorker start(boolean firstEvents) {
        executor.scheduleWithFixedDelay(this::drain, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        if (firstEvents) {
            executor.scheduleWithFixedDelay(this::queueFirstEvents, 0, FIRST_EVENTS_SCAN.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Shoots queued captures until the queue is empty. */
    public void drain() {
        try {
            while (true) {
                var job = queue.claim(settings.timeout().plusMinutes(1));
                if (job.isEmpty()) return;
                shoot(job.get());
            }
        } catch (RuntimeException e) {
            if (stopping()) return; // close() interrupted the poll
            log.error("capture queue failed: {}", e.toString()); // e.g. the database is away; the next poll retries
        }
    }

    /** Shoots one claimed capture and stores the shot or the reason it failed. */
    public void shoot(CaptureQueue.Job job) {
        CaptureTarget target = new CaptureTarget(URI.create(job.url()), job.origins(), job.device(), layoutWidths.get(job.device()));
        try {
            results.finish(job, capturer.capture(target));
        } catch (CaptureFailure e) {
            if (stopping()) {
                leftForLater(job);
                return;
            }
            log.info("capture {} of {} ({}) failed: {}", job.captureId(), job.url(), job.device(), e.getMessage());
            results.fail(job, e.getMessage());
        } catch (RuntimeException e) {
            if (stopping()) {
                leftForLater(job);
                return;
            }
            log.error("capture {} of {} ({}) failed unexpectedly", job.captureId(), job.url(), job.device(), e);
            results.fail(job, "The capture failed unexpectedly (" + e + "). The server log has the details.");
        }
    }

    private void queueFirstEvents() {
        try {
            int queued = queue.queueFirstEvents(LocalDate.now(clock).minusDays(FIRST_EVENTS_DAYS), settings.autoMinPageviews(),
                    settings.autoPerSitePerHour());
            if (queued > 0) log.info("queued {} automatic captures of pages with real traffic", queued);
        } catch (RuntimeException e) {
            if (stopping()) return; // close() interrupted it
            log.error("could not queue captures of new pages: {}", e.toString());
        }
    }

    /** A capture interrupted by close() is not the page's failure: still claimed, it runs again once the claim goes stale. */
    private static void leftForLater(CaptureQueue.Job job) {
        log.info("capture {} of {} ({}) stopped by shutdown; it runs again later", job.captureId(), job.url(), job.device());
    }

    private boolean stopping() {
        return executor.isShutdown();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(settings.timeout().toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
