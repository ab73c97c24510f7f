package io.isotherm.dashboard.reports;

import io.isotherm.db.site.Site;
import io.isotherm.testing.Chromium;
import io.isotherm.testing.StoredTraffic.Visit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;

/**
 * The README's screenshots of the engagement grids: four weeks of plausible traffic on a shop in New York (busy on
 * weekday afternoons, quiet at night) as the weekday × hour grid of page views with the tooltip of one cell
 * (docs/images/engagement.png), and two weeks of clicks by page and day, normalised by row
 * (docs/images/engagement-pages.png). Runs only when {@code -Disotherm.screenshots=DIR} names the output directory
 * (scripts/readme-screenshots.sh).
 */
@EnabledIfSystemProperty(named = "isotherm.screenshots", matches = ".+")
class EngagementScreenshot {
    private static final List<String> PAGES = List.of("https://shop.example/", "https://shop.example/pricing",
            "https://shop.example/blog/spring-sale", "https://shop.example/docs", "https://shop.example/signup");
    private static final double[] PAGE_SHARE = {1.0, 0.55, 0.35, 0.25, 0.12};
    /** Page views per hour on a weekday at each hour of the day, before the page's share. */
    private static final double[] HOURLY = {0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.4, 2.0, 2.4, 2.6, 2.8, 2.6, 2.6,
            2.4, 2.2, 1.8, 1.5, 1.6, 1.8, 1.4, 0.8, 0.4};

    @TempDir
    Path profile;

    @Test
    void engagement_grid() throws Exception {
        Path out = Path.of(System.getProperty("isotherm.screenshots"));
        Files.createDirectories(out);
        try (EngagementTraffic traffic = new EngagementTraffic()) {
            Site site = traffic.site("Fernway", "America/New_York");
            Random random = new Random(17);
            ZoneId zone = ZoneId.of("America/New_York");
            for (LocalDate day = LocalDate.of(2026, 3, 2); !day.isAfter(LocalDate.of(2026, 3, 29)); day = day.plusDays(1)) {
                boolean weekend = day.getDayOfWeek().getValue() >= 6;
                for (int hour = 0; hour < 24; hour++) {
                    for (int p = 0; p < PAGES.size(); p++) {
                        double expected = HOURLY[hour] * PAGE_SHARE[p] * (weekend ? 0.45 : 1.0) * 0.9;
                        int views = poisson(random, expected);
                        for (int v = 0; v < views; v++) {
                            var at = day.atTime(hour, random.nextInt(60)).atZone(zone).toInstant();
                            traffic.pageview(site, traffic.page(site, PAGES.get(p)), at, random.nextInt(3) == 0 ? "mobile" : "desktop",
                                    Visit.DIRECT, 10 + random.nextInt(91), random.nextInt(4), random.nextInt(12) == 0 ? 1 : 0,
                                    random.nextInt(8) == 0 ? 1 : 0);
                        }
                    }
                }
            }
            traffic.aggregate();
            ChromeDriver browser = Chromium.window(1400, 760).profile(profile).start();
            try {
                String page = traffic.url() + "/engagement?site=" + site.publicKey();
                shoot(browser, page + "&from=2026-03-02&to=2026-03-29", "td.grid-cell[data-row='1'][data-column='12']",
                        out.resolve("engagement.png"));
                shoot(browser, page + "&grid=page-day&metric=clicks&norm=row&from=2026-03-16&to=2026-03-29",
                        "td.grid-cell[data-row='3'][data-column='8']", out.resolve("engagement-pages.png"));
            } finally {
                browser.quit();
            }
        }
    }

    /** Opens the page, waits for its grid, hovers a cell and saves the window. */
    private static void shoot(ChromeDriver browser, String url, String hover, Path png) throws Exception {
        browser.get(url);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (browser.findElements(By.cssSelector("td.grid-cell")).isEmpty()) {
            if (System.nanoTime() > deadline) throw new AssertionError("no grid");
            Thread.sleep(50);
        }
        new Actions(browser).moveToElement(browser.findElement(By.cssSelector(hover))).perform();
        Thread.sleep(200);
        Files.write(png, browser.getScreenshotAs(OutputType.BYTES));
    }

    private static int poisson(Random random, double mean) {
        double limit = Math.exp(-mean), product = random.nextDouble();
        int n = 0;
        while (product > limit) {
            product *= random.nextDouble();
            n++;
        }
        return n;
    }
}
