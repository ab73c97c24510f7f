package io.isotherm.dashboard;

import io.isotherm.db.site.Site;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

/** The elements panel names elements by the labels their capture took from the page, with the selector below. */
class ViewerElementLabelsTest extends ViewerTest {
    static final String PAGE = "https://shop.example/pricing";
    /** Markup in a label is the page's text, never markup in the viewer. */
    static final Traffic.Box BUY = new Traffic.Box("#buy", 600, 1000, 240, 48, "Buy <b>Pro</b> & save");
    static final Traffic.Box HERO = new Traffic.Box("#hero-img", 100, 300, 600, 300, "Team at work");
    static final Traffic.Box MENU = new Traffic.Box("#menu", 1200, 20, 120, 40);

    static Site site;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        Traffic traffic = server.traffic();
        site = traffic.site("UTC");
        long page = traffic.page(site, PAGE);
        traffic.capture(site, page, "desktop", 1440, 3000, 1000, List.of(BUY, HERO, MENU));
        Instant t = TODAY.minusDays(2).atTime(12, 0).toInstant(ZoneOffset.UTC);
        traffic.visit(site, page)
                .click(t, 700, 1010, "#buy").click(t.plusSeconds(1), 700, 1010, "#buy").click(t.plusSeconds(2), 700, 1010, "#buy")
                .deadClick(t.plusSeconds(3), 400, 450, "#hero-img").deadClick(t.plusSeconds(4), 400, 450, "#hero-img")
                .click(t.plusSeconds(5), 1250, 40, "#menu")
                // A link in a drawer that only opens on a click: the capture never saw it.
                .click(t.plusSeconds(6), 20, 300, "#drawer>a")
                .send();
        traffic.aggregate();
        browser = ViewerBrowser.start(profile);
    }

    @Test
    void each_element_shows_its_label_as_text_with_its_selector_as_a_second_line() {
        browser.open(server.viewUrl(site, PAGE, ""));

        List<WebElement> rows = browser.findAll("#elements-list button.element");
        assertThat(rows).extracting(r -> r.getAttribute("data-selector")).containsExactly("#buy", "#hero-img", "#drawer>a", "#menu");

        WebElement buy = rows.get(0);
        WebElement label = buy.findElement(By.cssSelector(".element-label"));
        WebElement selector = buy.findElement(By.cssSelector(".element-selector"));
        assertThat(label.getText()).isEqualTo("Buy <b>Pro</b> & save");
        assertThat(buy.findElements(By.cssSelector("b"))).as("no markup from a label").isEmpty();
        assertThat(selector.getText()).isEqualTo("#buy");
        // Exact layout boxes: WebDriver's whole-px locations and sizes round each on its own, and with the controls
        // above the panel at a fractional height they could put the selector 1 px above the label's rounded bottom.
        double selectorTop = ((Number) browser.js("return arguments[0].getBoundingClientRect().top", selector)).doubleValue();
        double labelBottom = ((Number) browser.js("return arguments[0].getBoundingClientRect().bottom", label)).doubleValue();
        assertThat(selectorTop).as("the selector is the line below the label").isGreaterThanOrEqualTo(labelBottom);
        assertThat(buy.getAttribute("aria-label")).startsWith("Buy <b>Pro</b> & save (#buy), 3 clicks");

        assertThat(rows.get(1).findElement(By.cssSelector(".element-label")).getText()).isEqualTo("Team at work");

        // An element the capture did not see is flagged so, in words.
        WebElement drawer = rows.get(2);
        assertThat(drawer.findElement(By.cssSelector(".flag-unseen")).getText()).isEqualTo("not on the screenshot");
        assertThat(drawer.getAttribute("aria-label")).endsWith(", not on the screenshot");
        assertThat(rows.get(0).findElements(By.cssSelector(".flag-unseen"))).as("an element on the screenshot").isEmpty();

        // Without a label the selector is the one line.
        WebElement menu = rows.get(3);
        assertThat(menu.findElements(By.cssSelector(".element-label"))).isEmpty();
        assertThat(menu.findElement(By.cssSelector(".element-selector")).getText()).isEqualTo("#menu");
    }

    @Test
    void the_header_counts_every_click_and_says_how_many_are_not_on_the_screenshot() {
        browser.open(server.viewUrl(site, PAGE, ""));

        // Seven clicks, as the elements panel counts them; the drawer link's one is not drawn (its element is not on
        // the capture) and the header says so, with why in its title.
        assertThat(browser.text(".frame-head .stat")).isEqualTo("1 page views · 7 clicks");
        WebElement unseen = browser.find(".frame-head .stat-unseen");
        assertThat(unseen.getText()).isEqualTo("1 not on the screenshot");
        assertThat(unseen.getAttribute("title")).contains("not drawn").contains("elements panel");

        // The move map has nothing of the kind.
        browser.open(server.viewUrl(site, PAGE, "&map=move"));
        assertThat(browser.findAll(".frame-head .stat-unseen")).isEmpty();
    }

    @Test
    void markers_name_their_element_by_its_label() {
        browser.open(server.viewUrl(site, PAGE, "&dead=1"));

        assertThat(browser.waitFor(".marker.dead").getAttribute("aria-label")).isEqualTo("2 dead clicks on Team at work");
    }
}
