package io.isotherm.collector;

import io.isotherm.db.event.RawEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static io.isotherm.collector.BrowserSession.pause;
import static io.isotherm.collector.TestSite.ofKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Mouse movement in a real Chromium: sampled at most every 100 ms, and only after the pointer moved 5 px. */
class TrackerMoveTest {
    @RegisterExtension
    static final TrackerBrowser tracker = new TrackerBrowser();
    private final TestSite site = tracker.site();
    private final BrowserSession browser = tracker.browser();

    @Test
    void samples_a_continuous_movement_at_most_every_100_ms_in_page_coordinates() {
        String page = "moves-continuous/layout.html";
        browser.open(site.url(page));
        int scrollY = 1000;
        browser.scrollTo(scrollY);
        int y = 300;
        int x = 100;
        long start = System.nanoTime();
        for (int i = 0; System.nanoTime() - start < 2_000_000_000L; i++) { // 2 px at a time, every 10 ms or so, for 2 s
            LockSupport.parkNanos(start + i * 10_000_000L - System.nanoTime());
            browser.moveMouse(x += 2, y);
        }
        int lastX = x;
        long durationMillis = (System.nanoTime() - start) / 1_000_000;
        browser.click(1000, 100); // a marker: once it is stored, so is everything before it
        browser.closeTab();

        List<RawEvent> events = site.awaitClicks(page, 1);
        List<RawEvent> moves = events.stream().filter(e -> e.kind().equals("move") && e.y() == y + scrollY).toList();
        assertThat(moves).hasSizeGreaterThanOrEqualTo(5).hasSizeLessThanOrEqualTo((int) (durationMillis / 100 + 1));
        assertThat(moves).allSatisfy(m -> assertThat(m.x()).as("a point the mouse passed")
                .isBetween(102, lastX).matches(px -> px % 2 == 0));
        for (int i = 1; i < moves.size(); i++) {
            RawEvent before = moves.get(i - 1);
            RawEvent after = moves.get(i);
            long gap = Duration.between(before.occurredAt(), after.occurredAt()).toMillis();
            // Within a batch the stored times keep the client's distances exactly; across batches the receive times
            // of the two batches come in, so allow a few ms there.
            assertThat(gap).as("ms between samples %d and %d", i - 1, i)
                    .isGreaterThanOrEqualTo(before.seq() == after.seq() ? 100 : 95);
            assertThat(after.x()).isGreaterThan(before.x());
        }
    }

    @Test
    void records_no_moves_while_the_mouse_rests_and_the_page_scrolls() {
        String page = "moves-resting/layout.html";
        browser.open(site.url(page));
        browser.moveMouse(600, 300);
        pause(150);
        browser.scrollTo(1000);
        pause(300);
        browser.scrollTo(2000);
        pause(150);
        browser.click(1000, 100);
        browser.closeTab();

        List<RawEvent> events = site.awaitClicks(page, 1);
        assertThat(ofKind(events, "move")).extracting(RawEvent::x, RawEvent::y)
                .containsExactly(tuple(600, 300), tuple(1000, 2100));
    }

    @Test
    void does_not_sample_movements_under_5_px_since_the_last_sample() {
        String page = "moves-tiny/layout.html";
        browser.open(site.url(page));
        // Each move comes 150 ms after the one before, so only the distance can keep it out.
        int[][] path = {{400, 300}, {401, 301}, {402, 302}, {403, 303}, {403, 304}, {404, 305}, {406, 307}, {407, 309}};
        for (int[] p : path) {
            browser.moveMouse(p[0], p[1]);
            pause(150);
        }
        browser.click(1000, 100);
        browser.closeTab();

        List<RawEvent> events = site.awaitClicks(page, 1);
        // From (400,300): 1.4, 2.8 and 4.2 px are too little, (403,304) is 5 px away. From there: 1.4, 4.2, then 6.4 px.
        assertThat(ofKind(events, "move")).extracting(RawEvent::x, RawEvent::y)
                .containsExactly(tuple(400, 300), tuple(403, 304), tuple(407, 309), tuple(1000, 100));
    }
}
