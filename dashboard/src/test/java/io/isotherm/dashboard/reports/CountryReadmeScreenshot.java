package io.isotherm.dashboard.reports;

import io.isotherm.dashboard.DashboardServer;
import io.isotherm.db.site.Site;
import io.isotherm.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;

import static io.isotherm.dashboard.DashboardServer.TODAY;

/**
 * The README's screenshot of the countries report: a month of plausible traffic from visitors in two dozen time zones
 * (one of no country), with the tooltip of one country. Runs only when {@code -Disotherm.screenshots=DIR} names the
 * output directory (scripts/readme-screenshots.sh).
 */
@EnabledIfSystemProperty(named = "isotherm.screenshots", matches = ".+")
class CountryReadmeScreenshot {
    /** Time zones and how many page views each brings. */
    private static final Object[] ZONES = {"America/New_York", 120, "America/Los_Angeles", 80, "America/Chicago", 60,
        "Europe/London", 90, "Europe/Berlin", 70, "Europe/Paris", 55, "Asia/Kolkata", 45, "America/Toronto", 35,
        "Asia/Tokyo", 30, "Australia/Sydney", 25, "America/Sao_Paulo", 20, "Europe/Madrid", 20, "Europe/Amsterdam", 18,
        "America/Mexico_City", 14, "Europe/Stockholm", 12, "Europe/Warsaw", 10, "Asia/Singapore", 10, "Asia/Shanghai", 8,
        "Africa/Lagos", 6, "Asia/Seoul", 6, "Africa/Johannesburg", 5, "Pacific/Auckland", 4, "UTC", 15};

    @TempDir
    Path profile;

    @Test
    void countries() throws Exception {
        Path out = Path.of(System.getProperty("isotherm.screenshots"));
        Files.createDirectories(out);
        try (DashboardServer server = DashboardServer.start()) {
            CountryVisits visits = new CountryVisits(server.db(), TODAY);
            Site site = visits.site("Fernway", "https://fernway.example");
            long[] pages = {visits.page(site, "https://fernway.example/"), visits.page(site, "https://fernway.example/pricing"),
                visits.page(site, "https://fernway.example/blog/remote-teams")};
            Random random = new Random(42);
            for (int z = 0; z < ZONES.length; z += 2) {
                for (int i = 0; i < (Integer) ZONES[z + 1]; i++) {
                    Instant at = TODAY.minusDays(random.nextInt(30)).atTime(6 + random.nextInt(14), random.nextInt(60))
                            .toInstant(ZoneOffset.UTC);
                    int reach = 20 + (int) Math.min(80, -Math.log(1 - random.nextDouble()) * 35);
                    visits.view(site, pages[random.nextInt(pages.length)], random.nextInt(4) == 0 ? "mobile" : "desktop", at,
                            reach, random.nextInt(4), CountryVisits.from((String) ZONES[z]));
                }
            }
            visits.aggregate();

            ChromeDriver browser = Chromium.window(1440, 900).profile(profile).start();
            try {
                browser.get(server.url() + "/countries?site=" + site.publicKey());
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (browser.findElements(By.cssSelector("#countries[data-ready]")).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                WebElement germany = browser.findElement(By.cssSelector("#countries-map path[data-code=DE]"));
                new Actions(browser).moveToElement(germany).perform();
                while (browser.findElements(By.cssSelector("#tooltip:not([hidden])")).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                Files.write(out.resolve("countries.png"), browser.getScreenshotAs(OutputType.BYTES));
            } finally {
                browser.quit();
            }
        }
    }
}
