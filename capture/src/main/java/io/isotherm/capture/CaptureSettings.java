package io.isotherm.capture;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Operator settings of the screenshot capture.
 *
 * @param chromium              the Chromium binary (Debian's package puts it at /usr/bin/chromium)
 * @param chromedriver          the matching chromedriver (Debian's chromium-driver package)
 * @param allowPrivateAddresses whether pages and resources on loopback, private and link-local addresses may be
 *                              fetched; off by default because the capturer would otherwise be an SSRF gateway
 * @param timeout               the whole capture, browser start to last tile
 * @param maxHeight             pages taller than this (CSS px) are captured down to here and marked truncated
 * @param maxBytes              a capture that downloads more than this fails
 * @param autoMinPageviews      a page × device class is captured automatically once it has this many page views in
 *                              the last days: a page anyone can create by posting to the collector has no traffic
 * @param autoPerSitePerHour    automatic captures queued per site and hour, counted in PostgreSQL across every
 *                              dashboard; captures people ask for are not limited
 */
public record CaptureSettings(Path chromium, Path chromedriver, boolean allowPrivateAddresses, Duration timeout,
                              int maxHeight, long maxBytes, int autoMinPageviews, int autoPerSitePerHour) {
    public static final int DEFAULT_AUTO_MIN_PAGEVIEWS = 3;
    /** One a minute on average: a site's new pages are captured within hours, and no site takes the capturer over. */
    public static final int DEFAULT_AUTO_PER_SITE_PER_HOUR = 60;

    public CaptureSettings {
        Objects.requireNonNull(chromium, "chromium");
        Objects.requireNonNull(chromedriver, "chromedriver");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        if (maxHeight < 1) throw new IllegalArgumentException("maxHeight must be positive");
        if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be positive");
        if (autoMinPageviews < 1) throw new IllegalArgumentException("autoMinPageviews must be positive");
        if (autoPerSitePerHour < 0) throw new IllegalArgumentException("autoPerSitePerHour must not be negative");
    }

    /** With the default limits of automatic captures. */
    public CaptureSettings(Path chromium, Path chromedriver, boolean allowPrivateAddresses, Duration timeout, int maxHeight, long maxBytes) {
        this(chromium, chromedriver, allowPrivateAddresses, timeout, maxHeight, maxBytes, DEFAULT_AUTO_MIN_PAGEVIEWS,
                DEFAULT_AUTO_PER_SITE_PER_HOUR);
    }

    public static CaptureSettings defaults() {
        return new CaptureSettings(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromedriver"), false,
                Duration.ofSeconds(45), 30_000, 50_000_000L);
    }

    public CaptureSettings withAllowPrivateAddresses(boolean allow) {
        return new CaptureSettings(chromium, chromedriver, allow, timeout, maxHeight, maxBytes, autoMinPageviews, autoPerSitePerHour);
    }

    public CaptureSettings withAutoCaptureLimits(int minPageviews, int perSitePerHour) {
        return new CaptureSettings(chromium, chromedriver, allowPrivateAddresses, timeout, maxHeight, maxBytes, minPageviews, perSitePerHour);
    }
}
