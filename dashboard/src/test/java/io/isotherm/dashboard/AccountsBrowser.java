package io.isotherm.dashboard;

import io.isotherm.testing.Chromium;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A real headless Chromium ({@link Chromium}) for the account and site administration pages, and
 * for the launcher's newcomer journey (through this module's test-jar): its own profile (so its own cookies), a
 * browser's ordinary user agent (not HeadlessChrome, which the collector drops as a bot) and a chosen time zone, with
 * helpers to fill forms and wait for what the pages show. Waiting is bounded (10 s unless a timeout is given, longer
 * where the page refreshes on its own), never a fixed sleep.
 */
public final class AccountsBrowser implements AutoCloseable {
    public static final String CHROME_ON_LINUX = Chromium.USER_AGENT;
    public static final String FIREFOX_ON_WINDOWS =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final ChromeDriver driver;

    private AccountsBrowser(ChromeDriver driver) {
        this.driver = driver;
    }

    public static AccountsBrowser start(Path profile) {
        return start(profile, CHROME_ON_LINUX, "UTC");
    }

    /** @param timeZone the browser's own time zone (its TZ), as Intl.DateTimeFormat().resolvedOptions() reports it */
    public static AccountsBrowser start(Path profile, String userAgent, String timeZone) {
        return start(profile, userAgent, timeZone, 1440, 1000);
    }

    /**
     * @param profile  an empty directory for the browser's profile
     * @param timeZone the browser's own time zone (its TZ), as Intl.DateTimeFormat().resolvedOptions() reports it
     * @param width    the window's width in CSS pixels (the scale factor is 1)
     * @param height   the window's height in CSS pixels
     */
    public static AccountsBrowser start(Path profile, String userAgent, String timeZone, int width, int height) {
        return new AccountsBrowser(Chromium.window(width, height).profile(profile).userAgent(userAgent).timeZone(timeZone).start());
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** The current address, whole. */
    public String url() {
        return driver.getCurrentUrl();
    }

    /** The current address's path and query: "/site?site=k&tab=install". */
    public String path() {
        URI uri = URI.create(driver.getCurrentUrl());
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Runs an async script: its last argument is the callback. */
    public Object async(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The text of the first element matching css; read again if the page redraws it meanwhile. */
    public String text(String css) {
        return retry(() -> find(css).getText());
    }

    /** The text of the whole page, as a person reads it. */
    public String pageText() {
        return retry(() -> find("body").getText());
    }

    /** Replaces the text of a field. */
    public void type(String css, String text) {
        type(css, text, WAIT);
    }

    /** Replaces the text of a field, waiting up to timeout for it to be displayed. */
    public void type(String css, String text, Duration timeout) {
        WebElement field = waitFor(css, timeout);
        field.clear();
        field.sendKeys(text);
    }

    public void click(String css) {
        click(css, WAIT);
    }

    public void click(String css, Duration timeout) {
        waitFor(css, timeout).click();
    }

    /** Waits until an element matching css is displayed. */
    public WebElement waitFor(String css) {
        return waitFor(css, WAIT);
    }

    public WebElement waitFor(String css, Duration timeout) {
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
    public WebElement waitForText(String css, String text) {
        return waitForText(css, text, WAIT);
    }

    public WebElement waitForText(String css, String text, Duration timeout) {
        WebElement[] found = new WebElement[1];
        until(css + " says \"" + text + "\"", timeout, () -> {
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

    /** Waits until the address's path and query are exactly these. */
    public void waitForPathToBe(String pathAndQuery) {
        until("the address is " + pathAndQuery, WAIT, () -> path().equals(pathAndQuery));
    }

    /** Waits until the address's path and query start with a prefix. */
    public void waitForPath(String prefix) {
        waitForPath(prefix, WAIT);
    }

    public void waitForPath(String prefix, Duration timeout) {
        until("the address starts with " + prefix, timeout, () -> path().startsWith(prefix));
    }

    /** Clicks the confirming button of the open confirmation dialog. */
    public void confirm() {
        waitFor("dialog[open] .dialog-actions .btn:last-child").click();
        until("the dialog closes", WAIT, () -> findAll("dialog[open]").isEmpty());
    }

    /** Signs in on /login (with the given next, or none) and waits until the page has left /login. */
    public void signIn(String serverUrl, String email, String password) {
        open(serverUrl + "/login");
        type("input[name=email]", email);
        type("input[name=password]", password);
        find("#login-form button[type=submit]").click();
        until("the browser leaves the sign-in page", WAIT, () -> !path().startsWith("/login"));
    }

    /**
     * A request made by the page itself (fetch, with the page's cookies and origin): {status, body}. With csrf, the
     * session's X-CSRF-Token from {@code GET /api/me} goes along, as the dashboard's own pages send it.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> fetch(String method, String path, String jsonBody, boolean csrf) {
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

    /** Waits until a condition holds; an element the page redrew meanwhile (stale) counts as "not yet". */
    public void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s in vain until " + what + " (at " + url() + ")"
                        + shownProblems());
            }
            pause(50);
        }
    }

    /** What the page shows as a problem (form and field errors, alerts, the banner), to explain a failed wait. */
    public String shownProblems() {
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

    /** Lets time pass: for a person's pace between actions, never to wait for what a page shows (see until). */
    public static void pause(long millis) {
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
