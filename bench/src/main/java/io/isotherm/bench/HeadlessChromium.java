package io.isotherm.bench;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Headless Chromium for the benchmarks, through chromedriver, both given by path, so that Selenium Manager never
 * looks for (or downloads) a driver or a browser. A fresh profile in a temporary directory, removed on close.
 */
final class HeadlessChromium implements AutoCloseable {
    /** A desktop Chrome on Linux: the collector drops HeadlessChrome as a bot, and real visitors look like this. */
    static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/150.0.0.0 Safari/537.36";

    /**
     * Selenium warns that it has no DevTools bindings for this Chromium version; they are not used here. A field:
     * java.util.logging holds loggers weakly, and the level set on a collected logger is lost.
     */
    private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");

    static {
        DEVTOOLS_LOG.setLevel(Level.SEVERE);
    }

    final ChromeDriver driver;
    private final Path profile;

    HeadlessChromium(String chromium, String chromedriver) throws IOException {
        this(chromium, chromedriver, 1280, 800);
    }

    HeadlessChromium(String chromium, String chromedriver, int width, int height) throws IOException {
        profile = Files.createTempDirectory("isotherm-bench-chromium");
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .build();
        var options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height, "--user-agent=" + USER_AGENT);
        driver = new ChromeDriver(service, options);
        // The tracker's spaced measurements take seconds each, the viewer's first loads many.
        driver.manage().timeouts().scriptTimeout(Duration.ofMinutes(5));
    }

    String version() {
        return driver.getCapabilities().getBrowserVersion();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
