package io.isotherm.capture;

import io.isotherm.testing.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.isotherm.capture.Images.box;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The capture keys element boxes by the selector the tracker reports for clicks, so a click lands on its box. Here
 * the real tracker (tracker-js/src/t.js) runs in a plain browser on selectors.html, clicks are dispatched on every
 * element marked data-probe, and the selectors it sends must be the expected ones and the capture's.
 */
class SelectorParityTest {
    /** By the tracker's rules: ids and unique test hooks anchor a path; generated ids, duplicates and bad hooks do not. */
    private static final List<String> EXPECTED = List.of(
            "#save",
            "[data-testid=\"checkout\"]",
            "[data-cy=\"cy-hook\"]",
            "#app>button:nth-of-type(2)",            // id="ember123" is generated
            "#app>div:nth-of-type(1)",               // id="dup" twice: not unique
            "#app>div:nth-of-type(2)",
            "#app>ul>li:nth-of-type(4)>span",
            "#app>input",                            // id="react-select-2-input" is generated
            "#app>i",                                // id=":r1:" is generated
            "#app>section:nth-of-type(1)",           // data-testid="dup-hook" twice: not unique
            "#app>section:nth-of-type(2)",
            "#app>p",                                // data-testid="has space" is no valid hook
            "#signup>label>input",
            "div>div>div:nth-of-type(2)>div>div>div>div>div>div>em"); // ten steps at most

    private static FixtureServer site;

    @BeforeAll
    static void serve() throws IOException {
        String page = new String(FixtureServer.Response.resource("selectors.html").body(), StandardCharsets.UTF_8);
        String tracked = page.replace("</head>", FixtureServer.recordingTracker("data-site=\"parity\" data-api=\"/collect\"") + "</head>");
        site = FixtureServer.start("127.0.0.1")
                .route("/selectors", FixtureServer.Response.html(page))
                .route("/tracked", FixtureServer.Response.html(tracked))
                .withTracker();
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    @Test
    void capture_keys_boxes_by_the_selectors_the_tracker_reports() throws Exception {
        List<String> trackerSelectors = new ArrayList<>();
        List<ElementBox> pageBoxes = new ArrayList<>();
        clickEveryProbe(trackerSelectors, pageBoxes);
        assertThat(trackerSelectors).as("what the tracker sent").containsExactlyElementsOf(EXPECTED);

        Shot shot = new PageCapturer(CaptureSettings.defaults().withAllowPrivateAddresses(true))
                .capture(new CaptureTarget(URI.create(site.url("/selectors")), site.origins(), "desktop", 1440));
        for (int i = 0; i < EXPECTED.size(); i++) {
            ElementBox expected = pageBoxes.get(i);
            assertThat(box(shot, expected.selector())).as("box of %s", expected.selector()).isEqualTo(expected);
        }
    }

    /** Collects the tracker's selector and the page box of each probe, in document order. */
    private static void clickEveryProbe(List<String> selectors, List<ElementBox> boxes) throws IOException {
        try (Chromium.TemporaryBrowser browser = Chromium.window(1440, 900).arguments("--hide-scrollbars").startWithTemporaryProfile()) {
            ChromeDriver driver = browser.driver();
            driver.get(site.url("/tracked"));
            List<?> rects = (List<?>) driver.executeScript(
                    "return [...document.querySelectorAll('[data-probe]')].map((el) => {"
                    + "  var r = el.getBoundingClientRect();"
                    + "  el.dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: r.left + 1, clientY: r.top + 1}));"
                    + "  return [Math.round(r.left + scrollX), Math.round(r.top + scrollY), Math.round(r.width), Math.round(r.height)];"
                    + "})");
            driver.executeScript("window.dispatchEvent(new Event('pagehide'))");
            String sent = String.join("\n", (List<String>) driver.executeScript("return window.sent"));
            Matcher m = Pattern.compile("\"kind\":\"click\".*?\"selector\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(sent);
            while (m.find()) selectors.add(m.group(1).replace("\\\"", "\""));
            for (int i = 0; i < rects.size() && i < selectors.size(); i++) {
                List<?> r = (List<?>) rects.get(i);
                boxes.add(new ElementBox(selectors.get(i), n(r.get(0)), n(r.get(1)), n(r.get(2)), n(r.get(3))));
            }
        }
    }

    private static int n(Object number) {
        return ((Number) number).intValue();
    }
}
