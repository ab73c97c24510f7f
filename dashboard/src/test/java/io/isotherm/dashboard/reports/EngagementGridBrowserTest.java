package io.isotherm.dashboard.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.db.site.Site;
import io.isotherm.testing.Chromium;
import io.isotherm.testing.StoredTraffic.Visit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engagement page in a real Chromium: the values printed in the grid are the API's, normalising by row prints
 * and colours each cell against its row's highest, the tooltip gives the exact value with its row and column, the
 * printed values stay legible on both ends of the palette, and the segment filter of the address reaches the API,
 * the CSV link and the cells' links.
 */
class EngagementGridBrowserTest {
    private static final String HOME = "https://shop.example/", PRICING = "https://shop.example/pricing";
    private static final String RANGE = "&from=2026-03-06&to=2026-03-10";
    private static final Visit SPRING = Visit.DIRECT.campaign("news", "email", "spring");

    @TempDir
    Path profile;
    private EngagementTraffic traffic;
    private ChromeDriver browser;
    private Site site;

    @BeforeEach
    void setUp() {
        traffic = new EngagementTraffic();
        site = traffic.site("Shop", "America/New_York");
        long home = traffic.page(site, HOME), pricing = traffic.page(site, PRICING);
        // Sunday 8 March (EDT from 03:00): a busy noon on the home page, a quiet evening; Monday a few clicks.
        pv(home, "2026-03-08T16:00:00Z", 9);
        pv(home, "2026-03-08T16:10:00Z", 3);
        pv(pricing, "2026-03-08T23:00:00Z", 1);
        pv(home, "2026-03-09T13:00:00Z", 2);
        pv(pricing, "2026-03-09T14:00:00Z", 1);
        traffic.pageview(site, home, Instant.parse("2026-03-09T15:00:00Z"), "desktop", Visit.DIRECT, 40, 6, 0, 0); // no campaign
        traffic.aggregate();
        browser = Chromium.window(1400, 1000).profile(profile).start();
    }

    private void pv(long page, String at, int clicks) {
        traffic.pageview(site, page, Instant.parse(at), "desktop", SPRING, 50, clicks, 0, 0);
    }

    @AfterEach
    void tearDown() {
        if (browser != null) browser.quit();
        traffic.close();
    }

    /** A cell as drawn: its printed text and its computed colours. */
    private record Drawn(String text, String background, String colour) {}

    @Test
    void printed_values_normalisation_tooltip_and_contrast_follow_the_api() {
        open("&metric=clicks&utm_campaign=spring");
        JsonNode api = traffic.engagement(site, "from", "2026-03-06", "to", "2026-03-10", "metric", "clicks", "utm_campaign", "spring");
        JsonNode values = api.get("values");
        assertThat(values.get(6).get(12).asLong()).as("the campaign's clicks only").isEqualTo(12);

        Map<String, Drawn> whole = cells();
        assertThat(whole).hasSize(7 * 24);
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 24; j++) {
                assertThat(whole.get(i + "," + j).text()).as("cell " + i + "," + j).isEqualTo(values.get(i).get(j).asText());
            }
        }
        Drawn darkest = whole.get("6,12"), lightest = whole.get("0,0");
        assertThat(darkest.background()).isNotEqualTo(lightest.background());
        assertThat(darkest.colour()).as("the printed value's colour changes with the cell's").isNotEqualTo(lightest.colour());
        assertThat(contrast(darkest.background(), darkest.colour())).isGreaterThanOrEqualTo(4.5);
        assertThat(contrast(lightest.background(), lightest.colour())).isGreaterThanOrEqualTo(4.5);
        assertThat(browser.findElement(By.cssSelector(".grid-legend [data-end=high]")).getText()).isEqualTo("12");

        browser.executeScript("const s = document.getElementById('engagement-norm'); s.value = 'row'; s.dispatchEvent(new Event('change'));");
        until("the grid normalised by row", () -> browser.findElements(By.cssSelector("table.grid[data-mode=row]")).isEmpty() ? null : true);
        assertThat(browser.getCurrentUrl()).contains("norm=row").contains("utm_campaign=spring");
        Map<String, Drawn> byRow = cells();
        Set<String> rowTops = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            long top = 0;
            for (JsonNode v : values.get(i)) top = Math.max(top, v.asLong());
            for (int j = 0; j < 24; j++) {
                long v = values.get(i).get(j).asLong();
                long share = top == 0 ? 0 : Math.round(100.0 * v / top);
                Drawn cell = byRow.get(i + "," + j);
                assertThat(cell.text()).as("cell " + i + "," + j).isEqualTo(share + "%");
                if (top > 0 && v == top) rowTops.add(cell.background());
            }
        }
        assertThat(rowTops).as("each row's highest is drawn in the scale's top colour").containsExactly(darkest.background());
        assertThat(byRow.get("0,9").background()).as("Monday 09:00, 2 of the grid's 12 but its row's highest")
                .isEqualTo(darkest.background()).isNotEqualTo(whole.get("0,9").background());
        assertThat(byRow.get("6,19").text()).as("Sunday 19:00: 1 of the row's 12").isEqualTo("8%");

        WebElement sundayNoon = browser.findElement(By.cssSelector("td.grid-cell[data-row='6'][data-column='12']"));
        new Actions(browser).moveToElement(sundayNoon).perform();
        WebElement tip = until("the tooltip", () -> {
            WebElement t = browser.findElement(By.cssSelector(".grid-tip"));
            return t.isDisplayed() ? t : null;
        });
        assertThat(tip.findElement(By.cssSelector("[data-line=row]")).getText()).isEqualTo("Sunday");
        assertThat(tip.findElement(By.cssSelector("[data-line=column]")).getText()).isEqualTo("12:00");
        assertThat(tip.findElement(By.cssSelector("[data-line=value]")).getText()).isEqualTo("12 clicks");
        assertThat(tip.findElement(By.cssSelector("[data-line=share]")).getText()).isEqualTo("100% of the row's highest");

        browser.executeScript("const s = document.getElementById('engagement-norm'); s.value = 'column'; s.dispatchEvent(new Event('change'));");
        until("the grid normalised by column", () -> browser.findElements(By.cssSelector("table.grid[data-mode=column]")).isEmpty() ? null : true);
        Map<String, Drawn> byColumn = cells();
        for (int j = 0; j < 24; j++) {
            long top = 0;
            for (int i = 0; i < 7; i++) top = Math.max(top, values.get(i).get(j).asLong());
            for (int i = 0; i < 7; i++) {
                long share = top == 0 ? 0 : Math.round(100.0 * values.get(i).get(j).asLong() / top);
                assertThat(byColumn.get(i + "," + j).text()).as("cell " + i + "," + j).isEqualTo(share + "%");
            }
        }

        // One tab stop: the arrow keys walk the grid, and the focused cell shows its tooltip.
        browser.findElement(By.cssSelector("td.grid-cell[data-row='0'][data-column='0']")).click();
        assertThat(browser.findElements(By.cssSelector("td.grid-cell[tabindex='0']"))).hasSize(1);
        Actions keys = new Actions(browser);
        for (int k = 0; k < 6; k++) keys.sendKeys(Keys.ARROW_DOWN);
        for (int k = 0; k < 12; k++) keys.sendKeys(Keys.ARROW_RIGHT);
        keys.perform();
        assertThat(browser.executeScript("return document.activeElement.dataset.row + ',' + document.activeElement.dataset.column"))
                .isEqualTo("6,12");
        WebElement focusedTip = until("the tooltip of the focused cell", () -> {
            WebElement t = browser.findElement(By.cssSelector(".grid-tip"));
            return t.isDisplayed() && t.getText().contains("12 clicks") ? t : null;
        });
        assertThat(focusedTip.findElement(By.cssSelector("[data-line=row]")).getText()).isEqualTo("Sunday");
    }

    @Test
    void page_by_day_cells_open_the_viewer_for_their_day_with_the_segment_filter() {
        open("&grid=page-day&utm_campaign=spring");
        JsonNode api = traffic.engagement(site, "from", "2026-03-06", "to", "2026-03-10", "grid", "page-day", "utm_campaign", "spring");
        assertThat(api.get("rows").get(0).asText()).isEqualTo(HOME);

        Map<String, Drawn> drawn = cells();
        for (int i = 0; i < api.get("rows").size(); i++) {
            for (int j = 0; j < 5; j++) {
                assertThat(drawn.get(i + "," + j).text()).isEqualTo(api.get("values").get(i).get(j).asText());
            }
        }
        String href = browser.findElement(By.cssSelector("td.grid-cell[data-row='0'][data-column='2'] a")).getAttribute("href");
        assertThat(query(href)).containsEntry("site", site.publicKey()).containsEntry("page", HOME)
                .containsEntry("from", "2026-03-08").containsEntry("to", "2026-03-08").containsEntry("utm_campaign", "spring");
        assertThat(href).contains("/view?");
        String csv = browser.findElement(By.id("engagement-csv")).getAttribute("href");
        assertThat(query(csv)).containsEntry("grid", "page-day").containsEntry("utm_campaign", "spring")
                .containsEntry("from", "2026-03-06").containsEntry("to", "2026-03-10");
        assertThat(csv).contains("/api/sites/" + site.publicKey() + "/engagement.csv?");
    }

    @Test
    void the_site_links_to_its_grids_and_one_page_weekday_cells_open_its_heatmap_for_the_range() {
        browser.get(traffic.url() + "/?site=" + site.publicKey());
        WebElement link = until("the Engagement link", () -> browser.findElements(By.id("engagement-link")).stream().findFirst().orElse(null));
        assertThat(link.getAttribute("href")).isEqualTo(traffic.url() + "/engagement?site=" + site.publicKey());

        open("&page=" + HOME + "&utm_campaign=spring");
        assertThat(browser.findElements(By.cssSelector("td.grid-cell a"))).as("every cell opens the page's heatmap").hasSize(7 * 24);
        WebElement sundayNoon = browser.findElement(By.cssSelector("td.grid-cell[data-row='6'][data-column='12']"));
        assertThat(sundayNoon.getText()).isEqualTo("2");
        assertThat(query(sundayNoon.findElement(By.tagName("a")).getAttribute("href"))).containsEntry("page", HOME)
                .containsEntry("from", "2026-03-06").containsEntry("to", "2026-03-10").containsEntry("utm_campaign", "spring");
        new Actions(browser).moveToElement(sundayNoon).perform();
        WebElement tip = until("the tooltip", () -> {
            WebElement t = browser.findElement(By.cssSelector(".grid-tip"));
            return t.isDisplayed() ? t : null;
        });
        assertThat(tip.getText()).contains("2 page views").contains("heatmaps are not split by hour");
    }

    private void open(String query) {
        browser.get(traffic.url() + "/engagement?site=" + site.publicKey() + RANGE + query);
        until("the grid", () -> "false".equals(browser.findElement(By.id("main")).getAttribute("aria-busy"))
                && !browser.findElements(By.cssSelector("td.grid-cell")).isEmpty() ? true : null);
    }

    /** The first non-null answer of {@code check}, asked every 50 ms for at most 20 s. */
    private static <T> T until(String what, Supplier<T> check) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            T answer = check.get();
            if (answer != null) return answer;
            if (System.nanoTime() - deadline > 0) throw new AssertionError("no " + what + " within 20 s");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Every cell by "row,column": its text and its computed background and text colours. */
    @SuppressWarnings("unchecked")
    private Map<String, Drawn> cells() {
        List<List<String>> rows = (List<List<String>>) browser.executeScript("""
                return [...document.querySelectorAll('td.grid-cell')].map((td) => {
                  const style = getComputedStyle(td.querySelector('a') || td);
                  return [td.dataset.row + ',' + td.dataset.column, td.textContent, getComputedStyle(td).backgroundColor, style.color];
                });""");
        Map<String, Drawn> cells = new HashMap<>();
        for (List<String> r : rows) cells.put(r.get(0), new Drawn(r.get(1), r.get(2), r.get(3)));
        return cells;
    }

    private static final Pattern RGB = Pattern.compile("rgba?\\((\\d+), (\\d+), (\\d+)");

    /** The WCAG contrast ratio of two CSS rgb() colours. */
    private static double contrast(String a, String b) {
        double la = luminance(a), lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(String css) {
        Matcher m = RGB.matcher(css);
        assertThat(m.find()).as(css).isTrue();
        double[] c = new double[3];
        for (int k = 0; k < 3; k++) {
            double s = Integer.parseInt(m.group(k + 1)) / 255.0;
            c[k] = s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    private static Map<String, String> query(String url) {
        Map<String, String> params = new HashMap<>();
        for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }
}
