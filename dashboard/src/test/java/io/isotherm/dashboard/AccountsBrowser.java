package io.isotherm.dashboard;

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

/**
 * A real headless Chromium for the account and site administration pages: its own profile (so its own cookies), a
 * browser's ordinary user agent (not HeadlessChrome) and a chosen time zone, with helpers to fill forms and wait for
 * what the pages show. Waiting is bounded (10 s, or longer where the page refreshes on its own), never a fixed sleep.
 */
final class AccountsBrowser implements AutoCloseable {
    static final String CHROME_ON_LINUX =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    static final String FIREFOX_ON_WINDOWS =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    static final Duration WAIT = Duration.ofSeconds(10);

    private final ChromeDriver driver;

    private AccountsBrowser(ChromeDriver driver) {
        this.driver = driver;
    }

    static AccountsBrowser start(Path profile) {
        return start(profile, CHROME_ON_LINUX, "UTC");
    }

    /** @param timeZone the browser's own time zone (its TZ), as Intl.DateTimeFormat().resolvedOptions() reports it */
    static AccountsBrowser start(Path profile, String userAgent, String timeZone) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .withEnvironment(Map.of("TZ", timeZone))
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync", "--password-store=basic",
                "--user-data-dir=" + profile.toAbsolutePath(), "--user-agent=" + userAgent,
                "--window-size=1440,1000", "--force-device-scale-factor=1", "--lang=en-US");
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30)).pageLoadTimeout(Duration.ofSeconds(30));
        return new AccountsBrowser(driver);
    }

    ChromeDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    /** The current address's path and query: "/site?site=k&tab=install". */
    String path() {
        URI uri = URI.create(driver.getCurrentUrl());
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

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
        for (int attempt = 0; ; attempt++) {
            try {
                return find(css).getText();
            } catch (StaleElementReferenceException e) {
                if (attempt == 5) throw e;
            }
        }
    }

    /** Replaces the text of a field. */
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
        WebElement[] found = new WebElement[1];
        until("something matching " + css + " is displayed", WAIT, () -> {
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
        return waitForText(css, text, WAIT);
    }

    WebElement waitForText(String css, String text, Duration timeout) {
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
    void waitForPathToBe(String pathAndQuery) {
        until("the address is " + pathAndQuery, WAIT, () -> path().equals(pathAndQuery));
    }

    /** Waits until the address's path and query start with a prefix. */
    void waitForPath(String prefix) {
        until("the address starts with " + prefix, WAIT, () -> path().startsWith(prefix));
    }

    /** Clicks the confirming button of the open confirmation dialog. */
    void confirm() {
        waitFor("dialog[open] .dialog-actions .btn:last-child").click();
        until("the dialog closes", WAIT, () -> findAll("dialog[open]").isEmpty());
    }

    /** Signs in on /login (with the given next, or none) and waits until the page has left /login. */
    void signIn(String serverUrl, String email, String password) {
        open(serverUrl + "/login");
        type("input[name=email]", email);
        type("input[name=password]", password);
        find("#login-form button[type=submit]").click();
        until("the browser leaves the sign-in page", WAIT, () -> !path().startsWith("/login"));
    }

    /** Waits until a condition holds; an element the page redrew meanwhile (stale) counts as "not yet". */
    void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("waited in vain until " + what + " (at " + path() + ")");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
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
