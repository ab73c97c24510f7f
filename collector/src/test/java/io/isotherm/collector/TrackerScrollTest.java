package io.isotherm.collector;

import io.isotherm.collector.BrowserSession.Box;
import io.isotherm.db.event.RawEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

import static io.isotherm.collector.BrowserSession.pause;
import static io.isotherm.collector.TestSite.ofKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/**
 * Scroll depth and dwell in a real Chromium: the deepest point seen (bottom edge of the viewport, and its fraction of
 * the document), stays of a second or more, and pages that scroll a container (data-scroll-root) instead of the window.
 */
class TrackerScrollTest {
    @RegisterExtension
    static final TrackerBrowser tracker = new TrackerBrowser();
    private final TestSite site = tracker.site();
    private final BrowserSession browser = tracker.browser();

    @Test
    void reports_the_deepest_point_with_its_depth_and_a_stay_of_a_second_as_dwell() {
        String page = "scroll-depth/layout.html";
        browser.open(site.url(page));
        int documentHeight = (int) browser.number("document.documentElement.scrollHeight");
        int viewportHeight = (int) browser.number("innerHeight");
        int bottom30 = (int) Math.round(0.3 * documentHeight);
        int bottom60 = (int) Math.round(0.6 * documentHeight);

        long shortStayStart = System.nanoTime();
        browser.scrollTo(bottom30 - viewportHeight);
        pause(600);
        browser.scrollTo(bottom60 - viewportHeight);
        long shortStayMillis = (System.nanoTime() - shortStayStart) / 1_000_000;
        long stayStart = System.nanoTime();
        pause(1200);
        browser.closeTab();
        long stayMillis = (System.nanoTime() - stayStart) / 1_000_000; // an upper bound of what the tracker measured

        Predicate<RawEvent> stayAt60 = s -> s.dwellMs() != null && s.y() == bottom60;
        List<RawEvent> scrolls = scrolls(site.awaitEvents(page, events -> !scrolls(events, stayAt60).isEmpty()));
        RawEvent deepest = deepest(scrolls);
        assertThat(deepest.y()).isEqualTo(bottom60);
        assertThat((double) deepest.depth()).isCloseTo(0.6, within(0.02))
                .isCloseTo((double) bottom60 / documentHeight, within(0.0005));
        assertThat(deepest.documentHeight()).isEqualTo(documentHeight);

        RawEvent stay = scrolls(scrolls, stayAt60).get(0);
        assertThat(stay.dwellMs()).isBetween(1000, (int) stayMillis);
        assertThat((double) stay.depth()).isCloseTo((double) bottom60 / documentHeight, within(0.0005));
        if (shortStayMillis < 1000) { // as it is unless the machine stalled: the tracker's stay was shorter still
            assertThat(scrolls(scrolls, s -> s.y() == bottom30)).as("a stay under a second at 30%").isEmpty();
        }
    }

    @Test
    void does_not_count_time_while_the_tab_is_hidden_as_dwell() {
        String page = "scroll-hidden/layout.html";
        browser.open(site.url(page));
        String shop = browser.driver().getWindowHandle();
        int bottom = (int) Math.round(0.5 * browser.number("document.documentElement.scrollHeight"));
        browser.scrollTo(bottom - (int) browser.number("innerHeight"));
        long visibleStart = System.nanoTime();
        browser.newTab(); // the shop goes to the background
        long visibleMillis = (System.nanoTime() - visibleStart) / 1_000_000;
        pause(1500);
        browser.driver().switchTo().window(shop); // and comes back
        assertThat(browser.js("return document.visibilityState")).isEqualTo("visible");
        long backStart = System.nanoTime();
        pause(600);
        browser.click(1000, 300); // a marker: the batch that carries it would carry the dwell too
        browser.closeTab();
        long backMillis = (System.nanoTime() - backStart) / 1_000_000;

        // Over 2 s passed at this depth, but under a second of it visible.
        List<RawEvent> events = site.awaitClicks(page, 1);
        assertThat(scrolls(events, s -> s.y() == bottom && s.dwellMs() == null)).hasSize(1);
        if (visibleMillis < 1000 && backMillis < 1000) { // as it is unless the machine stalled
            assertThat(scrolls(events, s -> s.dwellMs() != null)).extracting(RawEvent::y).doesNotContain(bottom);
        }
    }

    @Test
    void measures_clicks_moves_and_depth_in_page_px_of_the_unrolled_data_scroll_root() {
        String page = "scroll-root/app.html";
        browser.open(site.url(page));
        Box root = browser.box("#app");
        int clientHeight = (int) browser.number("document.querySelector('#app').clientHeight");
        int scrollHeight = (int) browser.number("document.querySelector('#app').scrollHeight");
        int scrollWidth = (int) browser.number("document.querySelector('#app').scrollWidth");
        int scrollTop = (int) Math.round(0.6 * scrollHeight) - clientHeight;
        browser.scrollTo("#app", scrollTop);
        assertThat(browser.number("scrollY")).as("the window does not scroll").isZero();
        Box target = browser.box("#target");
        int x = target.x(0.25);
        int y = target.y(0.75);
        browser.click(x, y);
        browser.closeTab();

        // Page px of the page with the container laid out at full height, as the capture shoots it: the container
        // stays 50 px down (under the toolbar) and 100 px in (beside the sidebar), its content runs on below.
        List<RawEvent> events = site.awaitClicks(page, 1);
        int expectedX = x; // it has not scrolled sideways
        int expectedY = y + scrollTop;
        RawEvent click = ofKind(events, "click").get(0);
        assertThat(click.selector()).isEqualTo("#target");
        assertThat(click.x()).isEqualTo(expectedX).isEqualTo(100 + 200 + (int) Math.round(0.25 * 200)); // #target is 200 px in
        assertThat(click.y()).isEqualTo(expectedY).isEqualTo(50 + 1500 + (int) Math.round(0.75 * 100)); // and 1500 px down
        assertThat(click.fixed()).isFalse();
        assertThat((double) click.boxX()).isCloseTo(target.fractionX(x), within(0.005));
        assertThat((double) click.boxY()).isCloseTo(target.fractionY(y), within(0.005));
        // The pointer's way to the click is a move, in the same coordinates.
        assertThat(ofKind(events, "move")).extracting(RawEvent::x, RawEvent::y)
                .contains(tuple(expectedX, expectedY));

        // The fold is the container's bottom edge at scroll 0; the deepest point its bottom edge now.
        RawEvent deepest = deepest(events);
        int top = (int) root.top(), left = (int) root.left();
        assertThat(deepest.y()).isEqualTo(top + scrollTop + clientHeight);
        assertThat((double) deepest.depth()).isCloseTo((double) (top + scrollTop + clientHeight) / (top + scrollHeight), within(0.0005));
        assertThat(events).allSatisfy(e -> {
            assertThat(e.viewportHeight()).isEqualTo(top + clientHeight);
            assertThat(e.documentHeight()).isEqualTo(top + scrollHeight);
            assertThat(e.documentWidth()).isEqualTo(left + scrollWidth);
        });
    }

    @Test
    void adopts_a_container_that_scrolls_when_the_document_does_not_and_sends_whole_px_sizes() {
        String page = "scroll-detected/list.html"; // no data-scroll-root; the header is 56.5 px tall
        browser.open(site.url(page));
        int clientHeight = (int) browser.number("document.querySelector('#list').clientHeight");
        int scrollHeight = (int) browser.number("document.querySelector('#list').scrollHeight");
        int scrollTop = 2200;
        browser.scrollTo("#list", scrollTop);
        assertThat(browser.number("scrollY")).as("the window does not scroll").isZero();
        Box target = browser.box("#target");
        int x = target.x(0.5);
        int y = target.y(0.5);
        browser.click(x, y);
        browser.closeTab();

        // Every batch was stored: the fold and the document size are whole px although the header is not.
        List<RawEvent> events = site.awaitClicks(page, 1);
        RawEvent click = ofKind(events, "click").get(0);
        assertThat(click.selector()).isEqualTo("#target");
        assertThat(click.fixed()).isFalse();
        assertThat(click.x()).isEqualTo(x);
        assertThat(click.y()).isEqualTo(y + scrollTop).isBetween(57 + 2500, 57 + 2600); // #target, 2500 px down the list
        assertThat(deepest(events).y()).isEqualTo(57 + scrollTop + clientHeight);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.viewportHeight()).isEqualTo(57 + clientHeight);
            assertThat(e.documentHeight()).isEqualTo(57 + scrollHeight);
        });
    }

    @Test
    void clicks_outside_the_data_scroll_root_keep_viewport_coordinates_as_fixed() {
        String page = "scroll-root-outside/app.html";
        browser.open(site.url(page));
        browser.click(640, 25); // the toolbar, above the container
        browser.scrollTo("#app", 1000);
        browser.click(640, 25); // the same spot, which has not moved
        browser.click(50, 300); // the sidebar
        browser.closeTab();

        List<RawEvent> clicks = ofKind(site.awaitClicks(page, 3), "click");
        // Like a fixed header: drawn at the same viewport spot at every scroll depth of the container.
        assertThat(clicks).extracting(RawEvent::x, RawEvent::y, RawEvent::fixed).containsExactly(
                tuple(640, 25, true),
                tuple(640, 25, true),
                tuple(50, 300, true));
    }

    @Test
    void a_fixed_click_low_in_the_window_is_sent_as_far_above_the_fold_as_it_was_above_the_window_s_bottom() {
        String page = "scroll-root-status/app-status.html";
        browser.open(site.url(page));
        int window = (int) browser.number("innerHeight"), width = (int) browser.number("innerWidth");
        int fold = (int) browser.number("document.querySelector('#app').getBoundingClientRect().bottom");
        assertThat(window - fold).as("the status bar under the container").isEqualTo(40);
        browser.scrollTo("#app", 1000);
        browser.click(640, 25); // the toolbar: high in the window, kept as it is
        browser.click(width - 48, window - 84); // the back-to-top button's middle, 84 px above the window's bottom
        browser.closeTab();

        List<RawEvent> clicks = ofKind(site.awaitClicks(page, 2), "click");
        // The collector measures a low fixed click from viewport.height, here the fold: 84 px above it.
        assertThat(clicks).extracting(RawEvent::x, RawEvent::y, RawEvent::fixed, RawEvent::viewportHeight).containsExactly(
                tuple(640, 25, true, fold),
                tuple(width - 48, fold - 84, true, fold));
    }

    /** The "deepest point reached" scroll event (no dwell) that reached deepest. */
    private static RawEvent deepest(List<RawEvent> events) {
        return scrolls(events, s -> s.dwellMs() == null).stream().max(Comparator.comparingInt(RawEvent::y)).orElseThrow();
    }

    private static List<RawEvent> scrolls(List<RawEvent> events) {
        return scrolls(events, s -> true);
    }

    private static List<RawEvent> scrolls(List<RawEvent> events, Predicate<RawEvent> filter) {
        return events.stream().filter(e -> e.kind().equals("scroll")).filter(filter).toList();
    }
}
