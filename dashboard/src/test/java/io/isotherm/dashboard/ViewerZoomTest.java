package io.isotherm.dashboard;

import io.isotherm.dashboard.ViewerBrowser.Nearest;
import io.isotherm.dashboard.ViewerBrowser.Pixel;
import io.isotherm.db.site.Site;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The zoom: a 1440 px desktop layout fits its pane (alone and in both compare panes) in narrow windows, everything
 * drawn over the page stays on its element at every zoom step, the scroll map's labels stay in the pane, and the
 * zoom is kept in the URL and can be changed from the keyboard. Positions are read on screen (bounding rectangles of
 * what the browser drew) and compared with the screenshot's own drawn position of the element.
 */
class ViewerZoomTest extends ViewerTest {
    static final String PAGE = "https://shop.example/plans";
    /** At the page's right edge: off screen at true scale in a pane narrower than the layout. */
    static final Traffic.Box SIGN_IN = new Traffic.Box("#sign-in", 1300, 24, 120, 40);
    static final Traffic.Box PLAN = new Traffic.Box("#plan", 1080, 1200, 320, 400);
    static final int SIGN_IN_CLICKS = 12, PLAN_DEAD = 3;

    static Site site;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        Traffic traffic = server.traffic();
        site = traffic.site("UTC");
        long page = traffic.page(site, PAGE);
        traffic.capture(site, page, "desktop", 1440, 3000, 1000, List.of(SIGN_IN, PLAN));
        traffic.capture(site, page, "mobile", 390, 6000, 1000, List.of());
        Instant at = TODAY.minusDays(2).atTime(12, 0).toInstant(ZoneOffset.UTC);
        // Four desktop page views with viewports 900 px tall, scrolled down to 1000, 2000, 2500 and 2900 px.
        int[] depths = {1000, 2000, 2500, 2900};
        for (int v = 0; v < 4; v++) {
            Traffic.Visit visit = traffic.visit(site, page, "desktop", 1440, 900, 3000);
            for (int c = 0; c < SIGN_IN_CLICKS / 4; c++) visit.click(at.plusSeconds(c), 1360, 44, "#sign-in");
            if (v < PLAN_DEAD) visit.deadClick(at.plusSeconds(10), 1240, 1400, "#plan");
            visit.scroll(at.plusSeconds(20), depths[v], null).send();
        }
        traffic.visit(site, page, "mobile", 390, 800, 6000).click(at, 100, 100, null).send();
        traffic.aggregate();
        browser = ViewerBrowser.start(profile);
    }

    @AfterEach
    void wideWindow() {
        window(ViewerBrowser.WIDTH, ViewerBrowser.HEIGHT);
    }

    static String view(String query) {
        return server.viewUrl(site, PAGE, query);
    }

    /**
     * Resizes the window; the next {@code open} draws in it. Headless Chromium applies a new size asynchronously and
     * now and then drops one, so it waits (5 s at most) for the viewport to take the width, asking again each second.
     */
    static void window(int width, int height) {
        for (int i = 0; i < 50; i++) {
            if (i % 10 == 0) browser.driver().manage().window().setSize(new Dimension(width, height));
            if (browser.number("innerWidth") == width) return;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A rectangle on screen, in viewport CSS px. */
    record Rect(double left, double top, double right, double bottom) {
        @SuppressWarnings("unchecked")
        static Rect of(Object js) {
            Map<String, Number> r = (Map<String, Number>) js;
            return new Rect(r.get("left").doubleValue(), r.get("top").doubleValue(), r.get("right").doubleValue(), r.get("bottom").doubleValue());
        }

        boolean contains(double x, double y) {
            return x >= left && x < right && y >= top && y < bottom;
        }
    }

    /** The part of frame i's pane that shows the page (inside its scroll bars). */
    static Rect pane(int i) {
        return Rect.of(browser.js("""
                const s = isothermViewer.frames()[arguments[0]].scroller;
                const r = s.getBoundingClientRect();
                return {left: r.left + s.clientLeft, top: r.top + s.clientTop,
                        right: r.left + s.clientLeft + s.clientWidth, bottom: r.top + s.clientTop + s.clientHeight};""", i));
    }

    static Rect rect(int frame, String css) {
        return Rect.of(browser.js("""
                const r = isothermViewer.frames()[arguments[0]].wrap.querySelector(arguments[1]).getBoundingClientRect();
                return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};""", frame, css));
    }

    /** Where the screenshot of frame i draws a layout box on screen now: through the screenshot's own tile. */
    static Rect drawnByScreenshot(int frame, Traffic.Box box) {
        return Rect.of(browser.js("""
                const [i, x, y, w, h] = arguments;
                const img = [...isothermViewer.frames()[i].shots.querySelectorAll('img')]
                  .find((m) => parseFloat(m.style.top) <= y && y < parseFloat(m.style.top) + m.height);
                const r = img.getBoundingClientRect();
                const k = r.width / img.width;
                const top = r.top + (y - parseFloat(img.style.top)) * k;
                return {left: r.left + x * k, top, right: r.left + (x + w) * k, bottom: top + h * k};""",
                frame, box.x(), box.y(), box.width(), box.height()));
    }

    /** Where the heat layer of frame i draws its canvas pixel (x, y) on screen now: the middle of it. */
    static double[] drawnByHeat(int frame, int x, int y) {
        @SuppressWarnings("unchecked")
        List<Number> p = (List<Number>) browser.js("""
                const [i, x, y] = arguments;
                const c = [...isothermViewer.frames()[i].heat.element.querySelectorAll('canvas')]
                  .find((c) => y >= +c.dataset.top && y < +c.dataset.top + c.height);
                const r = c.getBoundingClientRect();
                const k = r.width / c.width;
                return [r.left + (x + 0.5) * k, r.top + (y - c.dataset.top + 0.5) * k];""", frame, x, y);
        return new double[]{p.get(0).doubleValue(), p.get(1).doubleValue()};
    }

    static double scale(int frame) {
        return ((Number) browser.js("return isothermViewer.frames()[arguments[0]].scale", frame)).doubleValue();
    }

    @Test
    void a_desktop_layout_fits_the_pane_alone_and_in_both_compare_panes_in_1024_and_1440_px_windows() {
        for (int width : new int[]{1024, 1440}) {
            window(width, 900);
            assertThat(browser.number("innerWidth")).isEqualTo(width);
            for (String query : new String[]{"", "&cmp=range"}) {
                browser.open(view(query));
                int frames = query.isEmpty() ? 1 : 2;
                assertThat(browser.findAll(".frame")).hasSize(frames);
                for (int i = 0; i < frames; i++) {
                    String where = width + " px window, frame " + i + " of " + frames;
                    Rect pane = pane(i);
                    Rect page = rect(i, ".page");
                    Rect shot = rect(i, ".shots img");
                    // The screenshot's right edge (the sign-in button's side) is on screen, without scrolling.
                    assertThat(shot.right()).as(where).isLessThanOrEqualTo(pane.right()).isCloseTo(page.right(), within(1.0));
                    assertThat(shot.left()).as(where).isGreaterThanOrEqualTo(pane.left());
                    assertThat(browser.number("isothermViewer.frames()[" + i + "].scroller.scrollWidth"))
                            .as(where + ": nothing to scroll sideways").isLessThanOrEqualTo(browser.number("isothermViewer.frames()[" + i + "].scroller.clientWidth"));
                    assertThat(shot.right() - shot.left()).as(where + ": the whole width, scaled").isCloseTo(1440 * scale(i), within(1.0));
                    assertThat(scale(i)).as(where).isLessThan(1);
                    Rect signIn = drawnByScreenshot(i, SIGN_IN);
                    assertThat(pane.contains(signIn.left(), signIn.top()) && pane.contains(signIn.right() - 0.01, signIn.bottom() - 0.01))
                            .as(where + ": #sign-in %s inside the pane %s", signIn, pane).isTrue();
                }
            }
        }
        // The fitted scale is said in the zoom control.
        assertThat(browser.find("#zoom-select option[value=fit]").getText())
                .isEqualTo("Fit width (" + Math.round(scale(0) * 100) + " %)");
    }

    @Test
    void the_hotspot_the_dead_click_marker_and_the_highlight_stay_on_their_element_at_every_zoom() {
        window(1440, 900);
        Pixel top = null;
        for (String zoom : new String[]{"fit", "50", "100", "200"}) {
            browser.open(view("&dead=1" + (zoom.equals("fit") ? "" : "&zoom=" + zoom)));
            double expected = zoom.equals("fit") ? scale(0) : Integer.parseInt(zoom) / 100.0;
            assertThat(scale(0)).as(zoom).isEqualTo(expected);
            if (top == null) top = browser.topColour("viridis");
            // Heat tiles are still drawn as they come near: of the two (0-2,048 and 2,048-3,000 px), the lower one
            // waits while the top of the page is shown (at 50 % the pane reaches it already).
            String drawn = "isothermViewer.frames()[0].heat.tiles.filter((t) => !t.dirty).length";
            assertThat(browser.number("isothermViewer.frames()[0].heat.tiles.length")).isEqualTo(2);
            if (scale(0) >= 0.75) assertThat(browser.number(drawn)).as(zoom).isEqualTo(1);
            browser.scrollTo(0, 700, 2900);
            assertThat(browser.number(drawn)).as(zoom).isEqualTo(2);

            Nearest hottest = browser.nearest(0, top.r(), top.g(), top.b());
            browser.scrollTo(0, hottest.x(), hottest.y());
            double[] hot = drawnByHeat(0, hottest.x(), hottest.y());
            Rect signIn = drawnByScreenshot(0, SIGN_IN);
            assertThat(signIn.contains(hot[0], hot[1])).as("%s: the hottest pixel drawn at %s, %s on #sign-in drawn at %s",
                    zoom, hot[0], hot[1], signIn).isTrue();
            assertThat(pane(0).contains(hot[0], hot[1])).as(zoom + ": in view").isTrue();
            // The pointer there is over the same layout px: the tooltip names the element.
            new Actions(browser.driver()).moveToLocation((int) Math.floor(hot[0]), (int) Math.floor(hot[1])).perform();
            assertThat(browser.text("#tooltip")).as(zoom).contains("#sign-in");

            browser.scrollTo(0, PLAN.x(), PLAN.y());
            Rect plan = drawnByScreenshot(0, PLAN);
            Rect marker = rect(0, ".marker.dead");
            assertThat((marker.left() + marker.right()) / 2).as(zoom + ": dead marker on #plan's corner").isCloseTo(plan.left(), within(1.0));
            assertThat((marker.top() + marker.bottom()) / 2).as(zoom).isCloseTo(plan.top(), within(1.0));
            // The marker keeps its size (24 px) whatever the zoom.
            assertThat(marker.bottom() - marker.top()).as(zoom).isCloseTo(24, within(1.0));

            browser.find("#elements-list button[data-selector='#plan']").click();
            Rect plan2 = drawnByScreenshot(0, PLAN);
            Rect highlight = rect(0, ".highlight");
            assertThat(highlight.left()).as(zoom + ": highlight on #plan").isCloseTo(plan2.left(), within(1.0));
            assertThat(highlight.top()).as(zoom).isCloseTo(plan2.top(), within(1.0));
            assertThat(highlight.right()).as(zoom).isCloseTo(plan2.right(), within(1.0));
            assertThat(highlight.bottom()).as(zoom).isCloseTo(plan2.bottom(), within(1.0));
            assertThat(browser.boxOnPage(0, ".highlight")).as(zoom)
                    .isEqualTo(Map.of("x", PLAN.x(), "y", PLAN.y(), "width", PLAN.width(), "height", PLAN.height()));
        }
    }

    @Test
    void the_scroll_maps_labels_stay_inside_the_pane_at_any_zoom_and_sideways_scroll() {
        window(1440, 900);
        for (String zoom : new String[]{"fit", "100", "200"}) {
            browser.open(view("&map=scroll" + (zoom.equals("fit") ? "" : "&zoom=" + zoom)));
            List<WebElement> marks = browser.findAll("[data-mark]");
            // The fold (900 px) and the 75 / 50 / 25 % lines.
            assertThat(marks).as(zoom).hasSize(4);
            assertThat(browser.boxOnPage(0, "[data-mark=fold]").get("y")).as(zoom).isEqualTo(900);
            boolean sideways = browser.number("isothermViewer.frames()[0].scroller.scrollWidth")
                    > browser.number("isothermViewer.frames()[0].scroller.clientWidth");
            assertThat(sideways).as(zoom + ": a page wider than the pane scrolls sideways").isEqualTo(scale(0) > 0.8);
            for (WebElement mark : marks) {
                String name = mark.getAttribute("data-mark");
                int y = Integer.parseInt(mark.getAttribute("data-y"));
                for (String side : sideways ? new String[]{"left", "right"} : new String[]{"left"}) {
                    browser.scrollTo(0, side.equals("left") ? 0 : 1440, y);
                    Rect pane = pane(0);
                    Rect label = rect(0, "[data-mark='" + name + "'] .mark-label");
                    String where = zoom + ", " + name + ", scrolled " + side + ": label " + label + " in pane " + pane;
                    assertThat(label.left() >= pane.left() && label.right() <= pane.right()
                            && label.top() >= pane.top() && label.bottom() <= pane.bottom()).as(where).isTrue();
                    // Next to its line, which is at its depth.
                    Rect line = rect(0, "[data-mark='" + name + "']");
                    assertThat(Math.min(Math.abs(label.top() - line.top()), Math.abs(label.bottom() - line.top())))
                            .as(where).isLessThan(10);
                }
            }
        }
    }

    @Test
    void the_zoom_is_kept_in_the_url_and_changed_from_the_keyboard() {
        window(1440, 900);
        browser.open(view(""));
        double fit = scale(0);
        assertThat(browser.driver().getCurrentUrl()).doesNotContain("zoom=");

        // Keys on the focused frame: + goes to the next step above "fit".
        WebElement frame = browser.find(".frame");
        browser.js("arguments[0].focus()", frame);
        frame.sendKeys("+");
        assertThat(browser.driver().getCurrentUrl()).contains("zoom=100");
        assertThat(scale(0)).isEqualTo(1.0);
        frame.sendKeys("+");
        assertThat(browser.driver().getCurrentUrl()).contains("zoom=125");
        assertThat(scale(0)).isEqualTo(1.25);

        // It survives a reload.
        browser.driver().navigate().refresh();
        browser.settle();
        assertThat(browser.js("return isothermViewer.state.zoom")).isEqualTo("125");
        assertThat(scale(0)).isEqualTo(1.25);
        assertThat(browser.find("#zoom-select").getAttribute("value")).isEqualTo("125");

        // Tab to the zoom-out button, with a visible focus ring, and press it.
        WebElement out = browser.find("#zoom-out");
        browser.js("arguments[0].focus()", browser.find("#zoom-select"));
        browser.driver().switchTo().activeElement().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
        assertThat(browser.driver().switchTo().activeElement()).isEqualTo(out);
        assertThat(browser.js("return getComputedStyle(arguments[0]).boxShadow", out)).isNotEqualTo("none");
        out.sendKeys(Keys.ENTER);
        assertThat(browser.driver().getCurrentUrl()).contains("zoom=100");
        assertThat(scale(0)).isEqualTo(1.0);

        // The select from the keyboard: up to "fit" again, which the URL leaves out.
        WebElement select = browser.find("#zoom-select");
        select.sendKeys(Keys.HOME);
        assertThat(browser.driver().getCurrentUrl()).doesNotContain("zoom=");
        assertThat(scale(0)).isEqualTo(fit);
    }

    @Test
    void compared_pages_of_different_heights_and_scales_scroll_together_in_proportion() {
        window(1440, 900);
        browser.open(view("&cmp=device&cdevice=mobile"));
        assertThat(browser.findAll(".frame")).hasSize(2);
        // The desktop page is fitted (scaled down), the 390 px mobile one is not enlarged.
        assertThat(scale(0)).isLessThan(1);
        assertThat(scale(1)).isEqualTo(1.0);
        long[] range = new long[2];
        for (int i = 0; i < 2; i++) {
            range[i] = browser.number("(() => { const s = isothermViewer.frames()[" + i + "].scroller; return s.scrollHeight - s.clientHeight; })()");
        }
        assertThat(range[1]).as("the mobile page scrolls much further").isGreaterThan(2 * range[0]);

        for (double share : new double[]{0.5, 1.0}) {
            browser.async("""
                    const [share, done] = arguments;
                    const s = isothermViewer.frames()[0].scroller;
                    s.scrollTop = share * (s.scrollHeight - s.clientHeight);
                    requestAnimationFrame(() => requestAnimationFrame(() => done()));""", share);
            long followed = browser.number("isothermViewer.frames()[1].scroller.scrollTop");
            assertThat((double) followed).as("at %s of the way down", share).isCloseTo(share * range[1], within(2.0 + range[1] / (double) range[0]));
        }
    }
}
