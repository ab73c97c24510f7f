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
 */
public record CaptureSettings(Path chromium, Path chromedriver, boolean allowPrivateAddresses, Duration timeout,
                              int maxHeight, long maxBytes) {

    public CaptureSettings {
        Objects.requireNonNull(chromium, "chromium");
        Objects.requireNonNull(chromedriver, "chromedriver");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        if (maxHeight < 1) throw new IllegalArgumentException("maxHeight must be positive");
        if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be positive");
    }

    public static CaptureSettings defaults() {
        return new CaptureSettings(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromedriver"), false,
                Duration.ofSeconds(45), 30_000, 50_000_000L);
    }

    public CaptureSettings withAllowPrivateAddresses(boolean allow) {
        return new CaptureSettings(chromium, chromedriver, allow, timeout, maxHeight, maxBytes);
    }
}
