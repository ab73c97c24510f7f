package io.isotherm.collector;

import io.isotherm.collector.BrowserSession.Box;
import io.isotherm.db.event.RawEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static io.isotherm.collector.BrowserSession.pause;
import static io.isotherm.collector.TestSite.ofKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * When batches leave the page, in a real Chromium: by beacon when the tab is closed or hidden, as soon as 50 events
 * are buffered, and page view by page view when a single-page app changes its URL.
 */
class TrackerDeliveryTest {
    /**
     * Run before the page's scripts: the tracker's 5 s timer never fires, so whatever arrives was sent for the reason
     * the test is about.
     */
    private static final String NO_TIMER = "window.setInterval = () => 0;";

    @RegisterExtension
    static final TrackerBrowser tracker = new TrackerBrowser();
    private final TestSite site = tracker.site();
    private final BrowserSession browser = tracker.browser();

    @Test
    void closing_the_tab_right_after_a_click_delivers_it() {
        String page = "closed/layout.html";
        browser.newTab();
        browser.beforeLoad(NO_TIMER);
        browser.load(site.url(page));
        Box buy = browser.box("#buy");
        browser.click(buy.x(0.5), buy.y(0.5));
        browser.closeTab();

        List<RawEvent> events = site.awaitEvents(page, all -> !all.isEmpty());
        assertThat(ofKind(events, "click")).extracting(RawEvent::selector).containsExactly("#buy");
    }

    @Test
    void hiding_the_page_delivers_what_it_holds_while_it_stays_open() {
        String page = "hidden/layout.html";
        browser.newTab();
        browser.beforeLoad(NO_TIMER);
        browser.load(site.url(page));
        Box buy = browser.box("#buy");
        browser.click(buy.x(0.5), buy.y(0.5));
        browser.newTab(); // the shop's tab goes to the background: visibilitychange to hidden

        List<RawEvent> events = site.awaitEvents(page, all -> !all.isEmpty());
        assertThat(ofKind(events, "click")).extracting(RawEvent::selector).containsExactly("#buy");
    }

    @Test
    void sends_a_batch_as_soon_as_50_events_are_buffered() {
        String page = "fifty/layout.html";
        browser.newTab();
        browser.beforeLoad(NO_TIMER);
        browser.load(site.url(page));
        int[][] points = new int[50][];
        for (int i = 0; i < points.length; i++) { // 40 px apart: no rage bursts
            points[i] = new int[]{400 + 40 * (i % 10), 200 + 40 * (i / 10)};
        }
        browser.clicks(points);

        // The tab stays open and visible, and the timer is off: only the count can have sent it.
        List<RawEvent> sent = site.awaitEvents(page, all -> !all.isEmpty());
        long batches = site.batches(page);
        assertThat(batches).isEqualTo(1);
        assertThat(sent.size()).isGreaterThanOrEqualTo(50);
        browser.closeTab();

        List<RawEvent> all = site.awaitClicks(page, 50);
        assertThat(ofKind(all, "click")).extracting(RawEvent::x, RawEvent::y)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(points).map(p -> tuple(p[0], p[1])).toList());
    }

    @Test
    void a_history_push_state_starts_a_new_page_view_after_sending_the_old_one() {
        String first = "spa/spa.html";
        String second = "spa/next.html";
        browser.newTab();
        browser.beforeLoad(NO_TIMER);
        browser.load(site.url(first));
        Box pane = browser.box("#pane");
        browser.click(pane.x(0.2), pane.y(0.2));
        Box next = browser.box("#next");
        browser.click(next.x(0.5), next.y(0.5)); // the app calls history.pushState: the click still counts for the old URL
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(site.url(second));
        pause(150); // past the move sampling interval
        browser.moveMouse(pane.x(0.8), pane.y(0.5)); // the first event on the new URL
        browser.click(pane.x(0.8), pane.y(0.8));
        browser.closeTab();

        List<RawEvent> after = site.awaitClicks(second, 1);
        List<RawEvent> before = site.awaitClicks(first, 1);
        List<UUID> firstViews = site.pageviews(first);
        List<UUID> secondViews = site.pageviews(second);
        assertThat(firstViews).hasSize(1);
        assertThat(secondViews).hasSize(1).doesNotContainAnyElementsOf(firstViews);

        assertThat(ofKind(before, "click")).extracting(RawEvent::selector)
                .containsExactly("#pane", "#next");
        assertThat(ofKind(before, "move"))
                .noneMatch(m -> m.x() == pane.x(0.8) && m.y() == pane.y(0.5));
        assertThat(after).first().extracting(RawEvent::kind, RawEvent::x, RawEvent::y, RawEvent::seq)
                .containsExactly("move", pane.x(0.8), pane.y(0.5), 0);
        assertThat(ofKind(after, "click")).extracting(RawEvent::selector, RawEvent::x, RawEvent::y)
                .containsExactly(tuple("#pane", pane.x(0.8), pane.y(0.8)));
        // The old page view went out first, when the new one began; the new one when the tab closed.
        assertThat(firstBatchReceived(firstViews.get(0))).isBefore(firstBatchReceived(secondViews.get(0)));
    }

    @Test
    void an_in_page_link_keeps_the_page_view() {
        String page = "anchors.html";
        browser.newTab();
        browser.beforeLoad(NO_TIMER);
        browser.load(site.url(page));
        Box pane = browser.box("#pane");
        browser.click(pane.x(0.5), pane.y(0.5));
        Box link = browser.box("#to-details");
        browser.click(link.x(0.5), link.y(0.5)); // the browser jumps down to #details: a new fragment, the same page
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(site.url(page) + "#details");
        pause(150);
        Box details = browser.box("#details");
        browser.click(details.x(0.5), details.y(0.5));
        browser.closeTab();

        List<RawEvent> all = site.awaitClicks(page, 3);
        assertThat(site.pageviews(page)).as("page views of %s", page).hasSize(1);
        assertThat(ofKind(all, "click")).extracting(RawEvent::selector).containsExactly("#pane", "#to-details", "#details");
    }

    @Test
    void scrolling_after_a_push_state_counts_for_the_new_page_view() {
        String first = "spa-scroll/spa.html";
        String second = "spa-scroll/next.html";
        browser.newTab();
        browser.beforeLoad(NO_TIMER);
        browser.load(site.url(first));
        int viewportHeight = (int) browser.number("innerHeight");
        Box next = browser.box("#next");
        browser.click(next.x(0.5), next.y(0.5)); // pushState
        browser.scrollTo(1500); // by keyboard, wheel or finger: no mouse move on the new URL
        browser.closeTab();

        List<RawEvent> before = site.awaitClicks(first, 1);
        assertThat(ofKind(before, "click")).extracting(RawEvent::selector).containsExactly("#next");
        assertThat(ofKind(before, "scroll")).extracting(RawEvent::y).containsOnly(viewportHeight);
        List<RawEvent> after = site.awaitEvents(second, all -> !all.isEmpty());
        assertThat(after).filteredOn(e -> e.kind().equals("scroll") && e.dwellMs() == null).extracting(RawEvent::y)
                .containsExactly(1500 + viewportHeight);
    }

    private Instant firstBatchReceived(UUID pageview) {
        return site.db.jdbi().withHandle(h -> h.createQuery("SELECT min(received_at) FROM ingest_batch WHERE pageview_id = :p")
                .bind("p", pageview).mapTo(Instant.class).one());
    }
}
