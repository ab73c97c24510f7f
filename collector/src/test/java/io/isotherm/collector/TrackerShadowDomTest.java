package io.isotherm.collector;

import io.isotherm.collector.BrowserSession.Box;
import io.isotherm.db.event.RawEvent;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static io.isotherm.collector.TestSite.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clicks inside web components (shadow.html): in an open shadow root the tracker reports the element clicked, not the
 * host, with a selector through the host (' >>> '), interactive by the inner element, and the position inside the inner
 * element's box; a closed shadow root shows nothing inside, so its clicks stay on the host.
 */
class TrackerShadowDomTest {
    @RegisterExtension
    static final TrackerBrowser tracker = new TrackerBrowser();
    private final TestSite site = tracker.site();
    private final BrowserSession browser = tracker.browser();

    /** What to click (a JavaScript expression for the element), and what the tracker must report. */
    private record Target(String element, String selector, boolean interactive) {
    }

    private static final String PAY = "document.querySelector('#pay').shadowRoot";
    private static final String SECOND = "document.querySelector('section pay-buttons').shadowRoot";

    private static final List<Target> ON_FIRST_SCREEN = List.of(
            new Target(PAY + ".querySelector('button:nth-of-type(1)')", "#pay >>> div>button:nth-of-type(1)", true),
            new Target(PAY + ".querySelector('button:nth-of-type(2)')", "#pay >>> div>button:nth-of-type(2)", true),
            new Target(PAY + ".querySelector('span')", "#pay >>> div>span", false),
            // Unique in its shadow root, though the page and the other component have a #go too.
            new Target(PAY + ".querySelector('#go')", "#pay >>> #go", true),
            new Target("document.querySelector('#go')", "#go", true));

    private static final List<Target> BELOW_THE_FOLD = List.of(
            new Target(SECOND + ".querySelector('button:nth-of-type(2)')", "body>main>section>pay-buttons >>> div>button:nth-of-type(2)", true),
            // Closed: nothing inside can be seen, the host is the target (and a host is no button).
            new Target("document.querySelector('#closed')", "#closed", false));

    static List<Screen> screens() {
        return Screen.desktopsAndAPhone();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("screens")
    void reports_the_element_clicked_inside_an_open_shadow_root(Screen screen) {
        String page = "shadow-" + screen + "/shadow.html";
        browser.newTab(screen.width(), screen.height(), screen.dpr(), screen.mobile());
        browser.load(site.url(page));
        List<ExpectedClick> expected = new ArrayList<>();
        for (Target target : ON_FIRST_SCREEN) {
            expected.add(click(target, 0.3, 0.6));
        }
        browser.scrollTo((int) (browser.box("section").top() + browser.number("scrollY")) - 100);
        for (Target target : BELOW_THE_FOLD) {
            expected.add(click(target, 0.7, 0.4));
        }
        browser.closeTab();

        List<RawEvent> clicks = ofKind(site.awaitClicks(page, expected.size()), "click");
        ExpectedClick.assertStored(clicks, expected);
        assertThat(clicks).allSatisfy(c -> {
            assertThat(c.viewportWidth()).isEqualTo(screen.width());
            assertThat(c.device()).isEqualTo(screen.device());
        });
    }

    private ExpectedClick click(Target target, double fx, double fy) {
        Box box = browser.boxOf(target.element());
        int x = box.x(fx), y = box.y(fy);
        assertThat(y).as("%s is in the viewport", target.selector()).isBetween(0, (int) browser.number("innerHeight") - 1);
        browser.click(x, y);
        return new ExpectedClick(target.selector(), target.interactive(), x + (int) browser.number("scrollX"),
                y + (int) browser.number("scrollY"), box.fractionX(x), box.fractionY(y));
    }
}
