package io.isotherm.launcher;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A person's browser for {@link NewcomerJourneyTest}: Debian's headless Chromium through its own chromedriver, with a
 * fresh profile (so its own cookies), an ordinary desktop user agent (the collector drops {@code HeadlessChrome} as a
 * bot) and a chosen time zone. Waits are bounded and poll what the page shows; nothing sleeps a fixed time to assert.
 */
final class JourneyBrowser implements AutoCloseable {
    static final String DESKTOP_CHROME =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    static final Duration WAIT = Duration.ofSeconds(15);

    private final ChromeDriver driver;

    private JourneyBrowser(ChromeDriver driver) {
        this.driver = driver;
    }

    /**
     * @param profile  an empty directory for the browser's profile
     * @param timeZone the browser's own time zone (its TZ), as {@code Intl.DateTimeFormat().resolvedOptions()} reports it
     */
    static JourneyBrowser start(Path profile, String timeZone) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .withEnvironment(Map.of("TZ", timeZone))
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync", "--password-store=basic",
                "--user-data-dir=" + profile.toAbsolutePath(), "--user-agent=" + DESKTOP_CHROME,
                "--window-size=1600,1000", "--force-device-scale-factor=1", "--lang=en-US");
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30)).pageLoadTimeout(Duration.ofSeconds(30));
        return new JourneyBrowser(driver);
    }

    ChromeDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    String url() {
        return driver.getCurrentUrl();
    }

    /** The current address's path and query: "/site?site=k&tab=install". */
    String path() {
        URI uri = URI.create(driver.getCurrentUrl());
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Runs an async script: its last argument is the callback. */
    Object async(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The text of the first element matching css; read again if the page redraws it meanwhile. */
    String text(String css) {
        return retry(() -> find(css).getText());
    }

    /** The text of the whole page, as a person reads it. */
    String pageText() {
        return retry(() -> find("body").getText());
    }

    /** Replaces the text of a field, typing it as a person does. */
    void type(String css, String text) {
        WebElement field = waitFor(css);
        field.clear();
        field.sendKeys(text);
    }

    void click(String css) {
        waitFor(css).click();
    }

    /** Waits until an element matching css is displayed. */
    WebElement waitFor(String css) {
        return waitFor(css, WAIT);
    }

    WebElement waitFor(String css, Duration timeout) {
        WebElement[] found = new WebElement[1];
        until("something matching " + css + " is displayed", timeout, () -> {
            for (WebElement e : findAll(css)) {
                if (e.isDisplayed()) {
                    found[0] = e;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Waits until a displayed element matching css says text. */
    WebElement waitForText(String css, String text) {
        WebElement[] found = new WebElement[1];
        until(css + " says \"" + text + "\"", WAIT, () -> {
            for (WebElement e : findAll(css)) {
                if (e.isDisplayed() && e.getText().contains(text)) {
                    found[0] = e;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Waits until the address's path and query start with a prefix. */
    void waitForPath(String prefix) {
        until("the address starts with " + prefix, WAIT, () -> path().startsWith(prefix));
    }

    /** Waits until a condition holds; an element the page redrew meanwhile (stale) counts as "not yet". */
    void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s in vain until " + what + " (at " + url() + ")"
                        + shownProblems());
            }
            pause(100);
        }
    }

    /** What the page shows as a problem (form and field errors, alerts, the banner), to explain a failed wait. */
    String shownProblems() {
        try {
            StringBuilder out = new StringBuilder();
            for (WebElement e : findAll(".form-error, .field-error, [role=alert], #banner, .message-box")) {
                if (e.isDisplayed() && !e.getText().isBlank()) out.append("\n  the page shows: ").append(e.getText());
            }
            return out.toString();
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * A request made by the page itself (fetch, with the page's cookies and origin): {status, body}. With csrf, the
     * session's X-CSRF-Token from {@code GET /api/me} goes along, as the dashboard's own pages send it.
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> fetch(String method, String path, String jsonBody, boolean csrf) {
        return (Map<String, Object>) async("""
                const [method, path, body, csrf, done] = arguments;
                (async () => {
                  const headers = {};
                  if (csrf) headers['X-CSRF-Token'] = (await (await fetch('/api/me', {cache: 'no-store'})).json()).csrfToken;
                  if (body !== null) headers['Content-Type'] = 'application/json';
                  const r = await fetch(path, {method, headers, body: body === null ? undefined : body, cache: 'no-store'});
                  done({status: r.status, body: await r.text()});
                })().catch((e) => done({status: -1, body: String(e)}));""", method, path, jsonBody, csrf);
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static <T> T retry(Supplier<T> read) {
        for (int attempt = 0; ; attempt++) {
            try {
                return read.get();
            } catch (StaleElementReferenceException e) {
                if (attempt == 5) throw e;
            }
        }
    }

    private static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (StaleElementReferenceException e) {
            return false;
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
