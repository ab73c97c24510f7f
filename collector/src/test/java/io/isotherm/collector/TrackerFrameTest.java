package io.isotherm.collector;

import io.isotherm.collector.BrowserSession.Box;
import io.isotherm.db.event.RawEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static io.isotherm.collector.TestSite.ofKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/**
 * Clicks inside same-origin iframes (frames.html: a 478 px checkout frame with a tracker of its own, and a frame added
 * after the page loaded): the parent page's tracker records them on the parent page, at the frame's place on it, with
 * selectors through the iframe (' >>> ') and the parent's viewport; the frame's own tracker sends nothing. An iframe
 * marked data-isotherm-ignore is not recorded, and a frame in a page without Isotherm records on its own, as before.
 */
class TrackerFrameTest {
    @RegisterExtension
    static final TrackerBrowser tracker = new TrackerBrowser();
    private final TestSite site = tracker.site();
    private final BrowserSession browser = tracker.browser();

    private static final String CHECKOUT = "document.querySelector('#checkout').contentDocument";
    private static final String LATE = "document.querySelector('.late').contentDocument";

    /** Counts what trackers inside frames send, in the top window: none is expected. */
    private static final String COUNT_FRAME_SENDS = """
            if (window !== top) {
              const count = () => { top.frameSends = (top.frameSends || 0) + 1; };
              const beacon = navigator.sendBeacon.bind(navigator), get = window.fetch.bind(window);
              navigator.sendBeacon = (...args) => { count(); return beacon(...args); };
              window.fetch = (...args) => { count(); return get(...args); };
            }""";

    static List<Screen> screens() {
        return Screen.desktopsAndAPhone();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("screens")
    void records_frame_clicks_on_the_parent_page_at_the_frame_position(Screen screen) {
        String folder = "frames-" + screen;
        String page = folder + "/frames.html";
        browser.newTab(screen.width(), screen.height(), screen.dpr(), screen.mobile());
        browser.beforeLoad(COUNT_FRAME_SENDS);
        browser.load(site.url(page));
        TestSite.await("the late frame", () -> browser.js("return window.lateLoaded === true"), Boolean.TRUE::equals);
        List<ExpectedClick> expected = new ArrayList<>();
        expected.add(click(CHECKOUT + ".querySelector('button:nth-of-type(1)')", 0.2, 0.5, "#checkout >>> body>button:nth-of-type(1)", true));
        expected.add(click(CHECKOUT + ".querySelector('button:nth-of-type(2)')", 0.8, 0.3, "#checkout >>> body>button:nth-of-type(2)", true));
        expected.add(click(CHECKOUT + ".querySelector('p')", 0.1, 0.5, "#checkout >>> body>p", false));
        // The iframe is marked data-isotherm-ignore: nothing in it is recorded.
        Box ignored = browser.boxOf("document.querySelector('#private').contentDocument.querySelector('button')");
        browser.click(ignored.x(0.5), ignored.y(0.5));
        // Scrolled: the frame moved up the viewport, its clicks still land at its place on the page.
        browser.scrollTo(120);
        expected.add(click(CHECKOUT + ".querySelector('button:nth-of-type(2)')", 0.5, 0.5, "#checkout >>> body>button:nth-of-type(2)", true));
        Box late = browser.boxOf(LATE + ".body");
        browser.scrollTo((int) late.top() + 120 - 100);
        expected.add(click(LATE + ".querySelector('button')", 0.5, 0.5, "body>iframe >>> [data-testid=\"subscribe\"]", true));
        long innerWidth = (long) browser.number("innerWidth");
        long frameWidth = (long) browser.number(CHECKOUT + ".documentElement.clientWidth");
        // The trackers in frames would send now, if ever: they send what they hold when the page is hidden.
        browser.js("for (const f of document.querySelectorAll('iframe')) f.contentWindow.dispatchEvent(new Event('pagehide'))");
        Object frameSends = browser.js("return window.frameSends || 0");
        browser.closeTab();

        List<RawEvent> clicks = ofKind(site.awaitClicks(page, expected.size()), "click");
        ExpectedClick.assertStored(clicks, expected);
        assertThat(frameWidth).as("the frame is narrower than the window").isLessThan(innerWidth).isLessThanOrEqualTo(478);
        assertThat(innerWidth).isEqualTo(screen.width());
        assertThat(clicks).allSatisfy(c -> {
            assertThat(c.viewportWidth()).isEqualTo(innerWidth);
            assertThat(c.device()).isEqualTo(screen.device());
        });
        // Each click once: nothing sent from inside the frames, nothing stored under the frames' own URLs.
        assertThat(frameSends).isEqualTo(0L);
        assertThat(site.pageviews(folder + "/frame-tracked.html")).isEmpty();
        assertThat(site.pageviews(folder + "/frame-bare.html")).isEmpty();
    }

    @Test
    void a_frame_in_a_page_without_isotherm_records_on_its_own_as_before() {
        String folder = "uncovered";
        browser.open(site.url(folder + "/frame-host-bare.html"));
        String button = CHECKOUT + ".querySelector('button:nth-of-type(2)')";
        Box inWindow = browser.boxOf(button);
        int x = inWindow.x(0.5);
        browser.click(x, inWindow.y(0.5));
        // Where the frame's own tracker sees the click: the same point, in the frame's viewport.
        double inFrame = x - inWindow.left() + browser.number(button + ".getBoundingClientRect().left");
        long frameWidth = (long) browser.number(CHECKOUT + ".documentElement.clientWidth");
        browser.closeTab();

        // The frame's own page, coordinates and viewport: the parent runs no tracker that could place them.
        List<RawEvent> clicks = ofKind(site.awaitClicks(folder + "/frame-tracked.html", 1), "click");
        assertThat(clicks).extracting(RawEvent::selector, RawEvent::interactive)
                .containsExactly(tuple("body>button:nth-of-type(2)", true));
        assertThat(clicks.get(0).x()).isCloseTo((int) Math.round(inFrame), within(1));
        assertThat(clicks.get(0).viewportWidth()).isEqualTo(frameWidth);
    }

    private ExpectedClick click(String element, double fx, double fy, String selector, boolean interactive) {
        Box box = browser.boxOf(element);
        int x = box.x(fx), y = box.y(fy);
        assertThat(y).as("%s is in the viewport", selector).isBetween(0, (int) browser.number("innerHeight") - 1);
        browser.click(x, y);
        // Page px of the parent: where the mouse was in the window, plus how far the parent is scrolled.
        return new ExpectedClick(selector, interactive, x + (int) browser.number("scrollX"), y + (int) browser.number("scrollY"),
                box.fractionX(x), box.fractionY(y));
    }
}
