package io.isotherm.testing;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The one way tests and benchmarks start a real headless Chromium: Debian's browser through its own chromedriver,
 * both given by path, so that Selenium Manager never looks for (or downloads) either. Every browser has a window of
 * a known size at scale factor 1, English, and the user agent of a regular desktop Chrome: the collector drops
 * {@code HeadlessChrome} as a bot, and real visitors look like this.
 *
 * <pre>{@code ChromeDriver driver = Chromium.window(1280, 800).profile(tempDir).start();}</pre>
 */
public final class Chromium {
    /** A desktop Chrome on Linux, as real visitors send it. */
    public static final String USER_AGENT =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    /**
     * Selenium warns that it has no DevTools bindings for this Chromium version; they are not used. A field:
     * java.util.logging holds loggers weakly, and the level set on a collected logger is lost.
     */
    private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");

    static {
        DEVTOOLS_LOG.setLevel(Level.SEVERE);
    }

    private final int width;
    private final int height;
    private String chromium = "/usr/bin/chromium";
    private String chromedriver = "/usr/bin/chromedriver";
    private Path profile;
    private String userAgent = USER_AGENT;
    private String timeZone;
    private final List<String> arguments = new ArrayList<>();
    private Map<String, Object> prefs;
    private Duration scriptTimeout = Duration.ofSeconds(30);
    private Duration pageLoadTimeout = Duration.ofSeconds(30);

    private Chromium(int width, int height) {
        this.width = width;
        this.height = height;
    }

    /** A browser whose window is this many CSS px wide and high. */
    public static Chromium window(int width, int height) {
        return new Chromium(width, height);
    }

    /** Other browser and driver executables (the benchmarks take them as options). */
    public Chromium executables(String chromium, String chromedriver) {
        this.chromium = chromium;
        this.chromedriver = chromedriver;
        return this;
    }

    /** An empty directory for the profile (a JUnit {@code @TempDir}); without one, see {@link #startWithTemporaryProfile}. */
    public Chromium profile(Path profile) {
        this.profile = profile.toAbsolutePath();
        return this;
    }

    public Chromium userAgent(String userAgent) {
        this.userAgent = userAgent;
        return this;
    }

    /** The browser's own time zone (its TZ), as {@code Intl.DateTimeFormat().resolvedOptions()} reports it. */
    public Chromium timeZone(String timeZone) {
        this.timeZone = timeZone;
        return this;
    }

    /** More command-line switches. */
    public Chromium arguments(String... more) {
        arguments.addAll(List.of(more));
        return this;
    }

    /** Profile preferences, such as the downloads folder. */
    public Chromium prefs(Map<String, Object> prefs) {
        this.prefs = prefs;
        return this;
    }

    public Chromium timeouts(Duration script, Duration pageLoad) {
        this.scriptTimeout = script;
        this.pageLoadTimeout = pageLoad;
        return this;
    }

    /** Starts the browser with the profile given to {@link #profile}. */
    public ChromeDriver start() {
        if (profile == null) throw new IllegalStateException("no profile directory: call profile(…) or startWithTemporaryProfile()");
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .withEnvironment(timeZone == null ? Map.of() : Map.of("TZ", timeZone))
                .build();
        var options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync", "--password-store=basic",
                "--user-data-dir=" + profile, "--user-agent=" + userAgent,
                "--window-size=" + width + "," + height, "--force-device-scale-factor=1", "--lang=en-US");
        options.addArguments(arguments);
        if (prefs != null) options.setExperimentalOption("prefs", prefs);
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(scriptTimeout).pageLoadTimeout(pageLoadTimeout);
        return driver;
    }

    /** A browser with a fresh profile in a temporary directory; quitting it through the result removes the profile. */
    public TemporaryBrowser startWithTemporaryProfile() {
        try {
            profile = Files.createTempDirectory("isotherm-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TemporaryBrowser(start(), profile);
    }

    /** A browser whose profile is removed when it is closed. */
    public record TemporaryBrowser(ChromeDriver driver, Path profile) implements AutoCloseable {
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
}
