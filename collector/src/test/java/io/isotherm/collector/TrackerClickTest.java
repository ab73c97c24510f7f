package io.isotherm.collector;

import io.isotherm.collector.BrowserSession.Box;
import io.isotherm.db.event.RawEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.isotherm.collector.BrowserSession.pause;
import static io.isotherm.collector.TestSite.ofKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Clicks in a real Chromium on a shop-like page (centred layout, fixed header, 4000 px long), stored by a real
 * collector: page coordinates, selector, position in the target's box, fixed and interactive flags, rage bursts,
 * ignored regions, and the page context that comes with every batch.
 */
class TrackerClickTest {
    @RegisterExtension
    static final TrackerBrowser tracker = new TrackerBrowser();
    private final TestSite site = tracker.site();
    private final BrowserSession browser = tracker.browser();

    /** A click the test made, and what the tracker must report for it. */
    private record Expected(String selector, int x, int y, double boxX, double boxY, boolean fixed, boolean interactive) {
    }

    @Test
    void stores_each_click_with_page_coordinates_selector_box_position_and_flags() {
        String page = "clicks/layout.html";
        browser.newTab();
        browser.cdp("Emulation.setTimezoneOverride", Map.of("timezoneId", "Europe/Berlin"));
        browser.load(site.url(page));
        List<Expected> expected = new ArrayList<>();

        expected.add(click("header a", 0.5, 0.5, "body>header>nav>a", true, true));
        expected.add(click("#buy", 0.25, 0.5, "#buy", false, true));
        // On the card's padding, not its image: the card is the target, and plain divs are no buttons.
        expected.add(click("[data-testid=card-2]", 0.9, 0.9, "[data-testid=\"card-2\"]", false, false));
        expected.add(click("[data-testid=card-3] img", 0.3, 0.6, "[data-testid=\"card-3\"]>img", false, false));
        expected.add(click(".tile", 0.5, 0.2, "body>main>div:nth-of-type(2)", false, true)); // cursor: pointer
        scrollToShow(".plain span");
        expected.add(click(".plain span", 0.1, 0.5,
                "body>main>section:nth-of-type(1)>div:nth-of-type(2)>p:nth-of-type(2)>span", false, false));
        scrollToShow(".far p");
        expected.add(click(".far p", 0.75, 0.25, "body>main>div:nth-of-type(3)>p", false, false));
        // Scrolled 2000 px down, the header is still at the top of the viewport: viewport coordinates.
        expected.add(click("header button", 0.5, 0.5, "body>header>nav>button", true, true));
        assertThat(browser.number("scrollY")).isGreaterThan(1500);
        long innerWidth = (long) browser.number("innerWidth");
        long innerHeight = (long) browser.number("innerHeight");
        long scrollWidth = (long) browser.number("document.documentElement.scrollWidth");
        long scrollHeight = (long) browser.number("document.documentElement.scrollHeight");
        browser.closeTab();

        List<RawEvent> clicks = ofKind(site.awaitClicks(page, expected.size()), "click");
        assertThat(clicks)
                .extracting(RawEvent::selector, RawEvent::x, RawEvent::y, RawEvent::fixed, RawEvent::interactive,
                        RawEvent::rage)
                .containsExactlyElementsOf(expected.stream()
                        .map(e -> tuple(e.selector(), e.x(), e.y(), e.fixed(), e.interactive(), false))
                        .toList());
        for (int i = 0; i < clicks.size(); i++) {
            Expected click = expected.get(i);
            assertThat((double) clicks.get(i).boxX()).as("boxX of %s", click.selector()).isCloseTo(click.boxX(), within(0.005));
            assertThat((double) clicks.get(i).boxY()).as("boxY of %s", click.selector()).isCloseTo(click.boxY(), within(0.005));
        }
        assertThat(innerWidth).isEqualTo(BrowserSession.WIDTH);
        assertThat(clicks).allSatisfy(c -> {
            assertThat(c.viewportWidth()).isEqualTo(innerWidth);
            assertThat(c.viewportHeight()).isEqualTo(innerHeight);
            assertThat(c.documentWidth()).isEqualTo(scrollWidth);
            assertThat(c.documentHeight()).isEqualTo(scrollHeight).isGreaterThanOrEqualTo(4000);
            assertThat(c.device()).isEqualTo("desktop");
        });
        UUID pageview = clicks.get(0).pageviewId();
        Map<String, Object> batch = site.db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT device_pixel_ratio AS dpr, time_zone AS tz FROM ingest_batch
                        WHERE pageview_id = :p ORDER BY seq LIMIT 1""")
                .bind("p", pageview).mapToMap().one());
        assertThat(batch).containsEntry("dpr", 1.0f).containsEntry("tz", "Europe/Berlin");
    }

    @Test
    void records_taps_but_not_keyboard_activations() {
        String page = "input-kinds/layout.html";
        browser.newTab();
        browser.beforeLoad("""
                addEventListener('click', (e) => {
                  if (e.pointerType === '') window.keyboardClicks = (window.keyboardClicks || 0) + 1;
                });""");
        browser.load(site.url(page));
        browser.driver().findElement(By.cssSelector("header button")).sendKeys(Keys.ENTER);
        assertThat(browser.number("window.keyboardClicks")).as("keyboard clicks the page saw").isEqualTo(1);
        Box buy = browser.box("#buy");
        browser.tap(buy.x(0.5), buy.y(0.5));
        Box tile = browser.box(".tile");
        browser.click(tile.x(0.5), tile.y(0.5));
        browser.closeTab();

        List<RawEvent> clicks = ofKind(site.awaitClicks(page, 2), "click");
        assertThat(clicks).extracting(RawEvent::selector, RawEvent::x, RawEvent::y).containsExactly(
                tuple("#buy", buy.x(0.5), buy.y(0.5)),
                tuple("body>main>div:nth-of-type(2)", tile.x(0.5), tile.y(0.5)));
    }

    @Test
    void three_clicks_within_a_second_and_30_px_are_a_rage_burst() {
        List<RawEvent> clicks = burst("rage-three", new int[][]{{0, 0}, {10, 5}, {20, 0}}, 0);

        assertThat(clicks).extracting(RawEvent::rage).containsExactly(true, true, true);
        assertThat(clicks).extracting(RawEvent::interactive).containsOnly(false); // a dead click, typically
    }

    @Test
    void two_clicks_are_no_rage() {
        List<RawEvent> clicks = burst("rage-two", new int[][]{{0, 0}, {10, 5}}, 0);

        assertThat(clicks).extracting(RawEvent::rage).containsExactly(false, false);
    }

    @Test
    void three_clicks_spread_over_more_than_30_px_are_no_rage() {
        // Each click is within 30 px of the one before, but the third is 40 px from the first.
        List<RawEvent> clicks = burst("rage-wide", new int[][]{{0, 0}, {20, 0}, {40, 0}}, 0);

        assertThat(clicks).extracting(RawEvent::rage).containsExactly(false, false, false);
    }

    @Test
    void three_clicks_spread_over_more_than_a_second_are_no_rage() {
        List<RawEvent> clicks = burst("rage-slow", new int[][]{{0, 0}, {5, 0}, {10, 0}}, 1100);

        assertThat(clicks).extracting(RawEvent::rage).containsExactly(false, false, false);
    }

    @Test
    void a_rage_burst_is_flagged_in_full_when_a_send_falls_inside_it() {
        String page = "rage-split/layout.html";
        browser.newTab();
        // The tracker's 5 s timer, in the test's hands: it fires between the second and the third click.
        browser.beforeLoad("window.setInterval = (tick) => { window.trackerTick = tick; return 0; };");
        browser.load(site.url(page));
        assertThat(browser.js("return typeof trackerTick")).isEqualTo("function");
        Box card = browser.box("[data-testid=card-1]");
        int x = card.x(0.6);
        int y = card.y(0.8);
        long start = System.nanoTime();
        browser.clicks(new int[][]{{x, y}, {x + 10, y}});
        browser.js("trackerTick()");
        browser.clicks(new int[][]{{x + 20, y}});
        long burstMillis = (System.nanoTime() - start) / 1_000_000;
        browser.closeTab();
        assumeTrue(burstMillis < 1000, "the machine stalled: the burst took " + burstMillis + " ms");

        List<RawEvent> clicks = ofKind(site.awaitClicks(page, 3), "click");
        assertThat(clicks).extracting(RawEvent::rage).containsExactly(true, true, true);
    }

    @Test
    void reports_a_wide_touch_screen_as_a_tablet() {
        String page = "tablet/layout.html";
        browser.newTab();
        browser.cdp("Emulation.setTouchEmulationEnabled", Map.of("enabled", true, "maxTouchPoints", 5));
        browser.load(site.url(page));
        assertThat(browser.js("return matchMedia('(pointer: coarse)').matches")).isEqualTo(true);
        Box buy = browser.box("#buy");
        browser.tap(buy.x(0.5), buy.y(0.5));
        browser.closeTab();

        RawEvent tap = ofKind(site.awaitClicks(page, 1), "click").get(0);
        assertThat(tap.viewportWidth()).isEqualTo(BrowserSession.WIDTH);
        assertThat(tap.device()).isEqualTo("tablet");
    }

    @Test
    void reports_a_phone_as_mobile_with_its_pixel_ratio() {
        String page = "phone/layout.html";
        browser.newTab();
        browser.cdp("Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", 844, "deviceScaleFactor", 3, "mobile", true));
        browser.cdp("Emulation.setTouchEmulationEnabled", Map.of("enabled", true, "maxTouchPoints", 5));
        browser.load(site.url(page));
        assertThat(browser.number("innerWidth")).as("the responsive page fits the phone").isEqualTo(390);
        Box buy = browser.box("#buy");
        browser.tap(buy.x(0.5), buy.y(0.5));
        browser.closeTab();

        RawEvent tap = ofKind(site.awaitClicks(page, 1), "click").get(0);
        assertThat(tap.selector()).isEqualTo("#buy");
        assertThat(tap.viewportWidth()).isEqualTo(390);
        assertThat(tap.device()).isEqualTo("mobile");
        assertThat(Stored.count(site.db, "SELECT round(device_pixel_ratio) FROM ingest_batch WHERE pageview_id = ?",
                tap.pageviewId())).isEqualTo(3);
    }

    @Test
    void ignores_clicks_and_moves_inside_data_isotherm_ignore() {
        String page = "ignored/layout.html";
        browser.open(site.url(page));
        int scrollY = scrollToShow(".promo");
        Box promo = browser.box(".promo");
        Box button = browser.box(".promo button");
        Box text = browser.box(".promo p");
        browser.click(button.x(0.5), button.y(0.5));
        browser.click(text.x(0.5), text.y(0.5));
        for (int i = 0; i < 4; i++) {
            browser.moveMouse(promo.x(0.2 + 0.2 * i), promo.y(0.5));
            pause(120); // past the move sampling interval: only the region keeps these out
        }
        Box span = browser.box(".plain span");
        browser.click(span.x(0.5), span.y(0.5));
        browser.closeTab();

        List<RawEvent> events = site.awaitClicks(page, 1);
        assertThat(ofKind(events, "click")).extracting(RawEvent::selector)
                .containsExactly("body>main>section:nth-of-type(1)>div:nth-of-type(2)>p:nth-of-type(2)>span");
        // The pointer's move to the recorded click is there; none of those inside the ignored region are.
        assertThat(ofKind(events, "move"))
                .anySatisfy(m -> assertThat(m.y()).isEqualTo(span.y(0.5) + scrollY))
                .noneSatisfy(m -> assertThat(m.y())
                        .isBetween((int) promo.top() + scrollY, (int) (promo.top() + promo.height()) + scrollY));
    }

    /**
     * Clicks on the first card at the given offsets from one point, in one quick burst ({@code pauseMillis} = 0) or
     * with a pause after the first click, on a page of its own, and returns the stored clicks.
     */
    private List<RawEvent> burst(String folder, int[][] offsets, long pauseMillis) {
        String page = folder + "/layout.html";
        browser.open(site.url(page));
        Box card = browser.box("[data-testid=card-1]");
        int x = card.x(0.6);
        int y = card.y(0.8); // below the image: the card itself is the target
        int[][] points = new int[offsets.length][];
        for (int i = 0; i < offsets.length; i++) {
            points[i] = new int[]{x + offsets[i][0], y + offsets[i][1]};
        }
        if (pauseMillis > 0) {
            browser.clicks(new int[][]{points[0]});
            pause(pauseMillis);
            browser.clicks(Arrays.copyOfRange(points, 1, points.length));
        } else {
            browser.clicks(points);
        }
        browser.closeTab();
        List<RawEvent> clicks = ofKind(site.awaitClicks(page, offsets.length), "click");
        assertThat(clicks).extracting(RawEvent::selector).containsOnly("[data-testid=\"card-1\"]").hasSize(offsets.length);
        return clicks;
    }

    /** Clicks at the given fractions of an element's box, and says what the tracker must make of it. */
    private Expected click(String selector, double fractionX, double fractionY, String expectedSelector, boolean fixed,
                           boolean interactive) {
        Box box = browser.box(selector);
        int x = box.x(fractionX);
        int y = box.y(fractionY);
        int scrollX = (int) browser.number("scrollX");
        int scrollY = (int) browser.number("scrollY");
        browser.click(x, y);
        return new Expected(expectedSelector, fixed ? x : x + scrollX, fixed ? y : y + scrollY,
                box.fractionX(x), box.fractionY(y), fixed, interactive);
    }

    /** Scrolls the window so that the element's top is 200 px below the viewport's (clear of the fixed header). */
    private int scrollToShow(String selector) {
        int top = (int) Math.round(browser.box(selector).top() + browser.number("scrollY") - 200);
        browser.scrollTo(top);
        return top;
    }
}
