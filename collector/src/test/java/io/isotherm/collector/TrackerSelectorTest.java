package io.isotherm.collector;

import io.isotherm.collector.BrowserSession.Box;
import io.isotherm.db.event.RawEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static io.isotherm.collector.TestSite.ofKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/**
 * The selector and interactivity rules of tracker-js/README.md, element by element, on one page: hand-written ids are
 * kept, generated ones skipped; unique test hooks anchor a path; otherwise tag:nth-of-type steps up to an anchor,
 * body, or ten steps; a click inside a button counts for the button.
 */
class TrackerSelectorTest {
    @RegisterExtension
    static final TrackerBrowser tracker = new TrackerBrowser();
    private final TestSite site = tracker.site();
    private final BrowserSession browser = tracker.browser();

    /** An element to click (found by {@code css}) and what the tracker must report as its selector. */
    private record Target(String css, String selector, boolean interactive) {
    }

    /** The longest test hook value that counts (selectors.html has it, and one character more). */
    private static final String HOOK_OF_64 = "h234567890" + "1234567890".repeat(5) + "1234";

    private static final List<Target> TARGETS = List.of(
            new Target("#checkout", "#checkout", true),
            new Target("#v12-cart", "#v12-cart", true), // two digits in a row are no sign of a generated id
            new Target("#save .icon", "#save", true), // the icon inside the button counts for the button
            new Target("[data-testid=pay]", "[data-testid=\"pay\"]", true), // ember456 is skipped, the hook is not
            new Target("[id=ember123]", "#generated>button:nth-of-type(1)", true),
            new Target("[id=':r1:']", "#generated>button:nth-of-type(2)", true),
            new Target("[id=react-select-2-input]", "#generated>button:nth-of-type(3)", true),
            new Target("[id=mui-38291]", "#generated>button:nth-of-type(4)", true),
            new Target("[id='1st']", "#generated>button:nth-of-type(5)", true), // not an identifier
            new Target("[data-test=promo-banner]", "[data-test=\"promo-banner\"]", false),
            new Target("[data-cy='nav.item:2']", "[data-cy=\"nav.item:2\"]", false),
            new Target("[data-testid=row]", "#hooks>div:nth-of-type(3)", false), // the hook is not unique
            new Target("[data-testid='has space']", "#hooks>div:nth-of-type(5)", false),
            new Target("#hooks > div:nth-of-type(6)", "[data-testid=\"" + HOOK_OF_64 + "\"]", false),
            new Target("#hooks > div:nth-of-type(7)", "#hooks>div:nth-of-type(7)", false), // 65 characters: too long
            new Target("[data-testid=menu] li:nth-of-type(2) a", "[data-testid=\"menu\"]>li:nth-of-type(2)>a", true),
            new Target("[role=button]", "#interactive>div:nth-of-type(1)", true),
            new Target("[onclick]", "#interactive>div:nth-of-type(2)", true),
            new Target("label", "#interactive>label", true),
            new Target("summary", "#interactive>details>summary", true),
            new Target("input", "#interactive>input", true),
            new Target("#interactive > div:nth-of-type(3)", "#interactive>div:nth-of-type(3)", false),
            new Target("#interactive > div:nth-of-type(4)", "#interactive>div:nth-of-type(4)", true), // cursor: pointer
            // No anchor within reach: ten steps, and no further.
            new Target(".deep span", "div>div>div>div>div>div>div>div>div>span", false));

    @Test
    void builds_each_selector_and_interactive_flag_by_the_rules() {
        String page = "selectors/selectors.html";
        browser.open(site.url(page));
        assertThat(browser.number("innerHeight")).as("every target fits in the viewport: no scrolling needed")
                .isGreaterThan(browser.box(".deep span").top() + 30);
        Box save = browser.box("#save");
        Box icon = browser.box("#save .icon");
        for (Target target : TARGETS) {
            Box box = browser.box(target.css());
            browser.click(box.x(0.3), box.y(0.5));
        }
        browser.closeTab();

        List<RawEvent> clicks = ofKind(site.awaitClicks(page, TARGETS.size()), "click");
        assertThat(clicks).extracting(RawEvent::selector, RawEvent::interactive)
                .containsExactlyElementsOf(TARGETS.stream().map(t -> tuple(t.selector(), t.interactive())).toList());
        // The position inside the box is the button's too, not the icon's.
        RawEvent onIcon = clicks.get(2);
        assertThat((double) onIcon.boxX()).isCloseTo(save.fractionX(icon.x(0.3)), within(0.005));
        assertThat((double) onIcon.boxY()).isCloseTo(save.fractionY(icon.y(0.5)), within(0.005));
    }
}
