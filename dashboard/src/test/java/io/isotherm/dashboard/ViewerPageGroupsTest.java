package io.isotherm.dashboard;

import io.isotherm.dashboard.ViewerBrowser.Nearest;
import io.isotherm.dashboard.ViewerBrowser.Pixel;
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

/**
 * A page group in a real browser: two product pages whose "Add to cart" button sits at different places on their
 * screenshots, clicked on both, pooled on the screenshot of the one the owner picked; the group in the pages lists
 * with its totals; and the group's form in the site's settings with its live preview.
 */
class ViewerPageGroupsTest extends ViewerTest {
    static final String SHOE = "https://shop.example/product/shoe";
    static final String HAT = "https://shop.example/product/hat";
    static final String BLOG = "https://shop.example/blog/hello";
    static final Traffic.Box SHOE_BUTTON = new Traffic.Box("#add-to-cart", 100, 400, 240, 48);
    static final Traffic.Box HAT_BUTTON = new Traffic.Box("#add-to-cart", 1000, 1400, 240, 48);
    static final int SHOE_VIEWS = 2, HAT_VIEWS = 3, CLICKS_PER_VIEW = 10;
    static final int CLICKS = (SHOE_VIEWS + HAT_VIEWS) * CLICKS_PER_VIEW;

    static Site site;
    static long shoeCapture, group;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        Traffic traffic = server.traffic();
        site = traffic.site("UTC");
        long shoe = traffic.page(site, SHOE), hat = traffic.page(site, HAT), blog = traffic.page(site, BLOG);
        shoeCapture = traffic.capture(site, shoe, "desktop", 1440, 2000, 1000, List.of(SHOE_BUTTON));
        traffic.capture(site, hat, "desktop", 1440, 2000, 1000, List.of(HAT_BUTTON));
        Instant t = TODAY.minusDays(2).atTime(12, 0).toInstant(ZoneOffset.UTC);
        clicks(traffic, shoe, SHOE_VIEWS, SHOE_BUTTON, t);
        clicks(traffic, hat, HAT_VIEWS, HAT_BUTTON, t);
        // Not a member: clicks on the same selector elsewhere, which the group must not draw.
        Traffic.Visit other = traffic.visit(site, blog);
        for (int c = 0; c < 30; c++) other.click(t.plusSeconds(c), 700, 900, "#add-to-cart");
        other.send();
        traffic.aggregate();
        // The hat page is the busier one; the owner picks the shoe page's screenshot.
        group = server.postJson("/api/sites/" + site.publicKey() + "/groups",
                "{\"name\": \"Products\", \"pattern\": \"/product/*\", \"screenshotPage\": \"" + SHOE + "\"}").json().get("id").asLong();
        browser = ViewerBrowser.start(profile);
    }

    private static void clicks(Traffic traffic, long page, int views, Traffic.Box button, Instant t) {
        for (int v = 0; v < views; v++) {
            Traffic.Visit visit = traffic.visit(site, page);
            for (int c = 0; c < CLICKS_PER_VIEW; c++) {
                visit.click(t.plusSeconds(c), button.x() + button.width() / 2, button.y() + button.height() / 2, "#add-to-cart");
            }
            visit.send();
        }
    }

    static boolean inside(Traffic.Box box, int x, int y) {
        return x >= box.x() && x < box.x() + box.width() && y >= box.y() && y < box.y() + box.height();
    }

    @Test
    void the_groups_clicks_on_the_same_button_are_drawn_on_the_picked_pages_button() {
        browser.open(server.url() + "/view?site=" + site.publicKey() + "&group=" + group);

        assertThat(browser.text("#crumb-page")).isEqualTo("Group: Products (/product/*)");
        // The shoe page's screenshot, not the busier hat page's.
        assertThat(browser.find(".shots img").getAttribute("src")).contains("/captures/" + shoeCapture + "/");
        Pixel top = browser.topColour("viridis");
        Nearest hottest = browser.nearest(0, top.r(), top.g(), top.b());
        assertThat(hottest.distance()).as("the top colour is drawn").isLessThan(12);
        assertThat(inside(SHOE_BUTTON, hottest.x(), hottest.y())).as("(%d, %d) inside the shoe page's button", hottest.x(), hottest.y()).isTrue();
        // Nothing where the hat page has its button, nor where the blog page (no member) was clicked.
        assertThat(browser.pixel(0, HAT_BUTTON.x() + HAT_BUTTON.width() / 2, HAT_BUTTON.y() + HAT_BUTTON.height() / 2).transparent()).isTrue();
        assertThat(browser.pixel(0, 700, 900).transparent()).isTrue();
        // Every click of both pages, all drawn: none "not on the screenshot".
        String head = browser.text(".frame-head");
        assertThat(head).contains((SHOE_VIEWS + HAT_VIEWS) + " page views · " + CLICKS + " clicks").doesNotContain("not on the screenshot");
        assertThat(browser.find("#map-switch input[value=scroll]").isEnabled()).isFalse();
    }

    @Test
    void the_pages_lists_show_the_group_with_its_totals_and_open_its_maps() {
        browser.open(server.url() + "/?site=" + site.publicKey());
        WebElement row = browser.waitFor("table.groups tbody tr[data-group='" + group + "']");
        assertThat(row.getText()).contains("Products").contains("/product/*").contains("2 pages")
                .contains(String.valueOf(SHOE_VIEWS + HAT_VIEWS)).contains(String.valueOf(CLICKS));

        browser.open(server.url() + "/site?site=" + site.publicKey() + "&tab=pages");
        WebElement listed = browser.waitFor("#groups-table tr[data-group='" + group + "']");
        List<String> cells = listed.findElements(By.cssSelector("td")).stream().map(WebElement::getText).toList();
        assertThat(cells.get(0)).contains("Products").contains("/product/*");
        assertThat(cells.subList(1, 4)).containsExactly("2", String.valueOf(SHOE_VIEWS + HAT_VIEWS), String.valueOf(CLICKS));

        listed.findElement(By.cssSelector("a")).click();
        browser.settle();
        assertThat(browser.driver().getCurrentUrl()).contains("/view?").contains("group=" + group);
        assertThat(browser.text("#crumb-page")).contains("Products");
    }

    @Test
    void the_settings_preview_the_pages_of_a_pattern_and_add_the_group() {
        browser.open(server.url() + "/site?site=" + site.publicKey() + "&tab=settings");
        WebElement form = browser.waitFor("#group-add form");
        form.findElement(By.name("pattern")).sendKeys("blog");
        browser.waitForText("#group-add .preview-error", "must start with /");

        form.findElement(By.name("pattern")).clear();
        form.findElement(By.name("pattern")).sendKeys("/blog/:slug");
        browser.waitForText("#group-add .preview-count", "1 page matches now");
        assertThat(browser.text("#group-add .preview-pages")).contains(BLOG).contains("1 page views");
        assertThat(form.findElements(By.cssSelector("select[name=screenshotPage] option")).stream().map(o -> o.getAttribute("value")).toList())
                .containsExactly("", BLOG);
        form.findElement(By.name("name")).sendKeys("Blog posts");
        form.findElement(By.cssSelector("button[type=submit]")).click();

        browser.waitForText("#groups-list", "Blog posts");
        assertThat(server.get("/api/sites/" + site.publicKey() + "/groups").json().findValuesAsText("pattern"))
                .containsExactlyInAnyOrder("/product/*", "/blog/:slug");
        assertThat(browser.text("#groups-list tr[data-group='" + group + "']")).contains("Products").contains(SHOE);
    }
}
