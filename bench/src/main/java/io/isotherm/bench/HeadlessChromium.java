package io.isotherm.bench;

import io.isotherm.testing.Chromium;
import org.openqa.selenium.chrome.ChromeDriver;

import java.time.Duration;

/** Headless Chromium for the benchmarks ({@link Chromium}), with a fresh profile that is removed on close. */
final class HeadlessChromium implements AutoCloseable {
    final ChromeDriver driver;
    private final Chromium.TemporaryBrowser browser;

    HeadlessChromium(String chromium, String chromedriver) {
        this(chromium, chromedriver, 1280, 800);
    }

    HeadlessChromium(String chromium, String chromedriver, int width, int height) {
        // The tracker's spaced measurements take seconds each, the viewer's first loads many.
        browser = Chromium.window(width, height).executables(chromium, chromedriver)
                .timeouts(Duration.ofMinutes(5), Duration.ofMinutes(5))
                .startWithTemporaryProfile();
        driver = browser.driver();
    }

    String version() {
        return driver.getCapabilities().getBrowserVersion();
    }

    @Override
    public void close() {
        browser.close();
    }
}
