package io.isotherm.capture;

import io.isotherm.testing.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.isotherm.capture.Images.box;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Elements inside an open shadow root and a same-origin iframe (components.html): the real tracker
 * (tracker-js/src/t.js) is clicked with a real mouse on each, and the capture must hold a box under exactly the
 * selector it sent, containing the point it sent, and equal to the element's box as the page shows it.
 */
class ShadowAndFrameParityTest {
    private static final String PAY = "document.querySelector('#pay').shadowRoot";
    private static final String EMBED = "document.querySelector('#embed').contentDocument";

    /** The element clicked (a JavaScript expression) and the selector the tracker must send for it. */
    private record Probe(String element, String selector) {
    }

    private static final List<Probe> PROBES = List.of(
            new Probe(PAY + ".querySelector('button:nth-of-type(1)')", "#pay >>> div>button:nth-of-type(1)"),
            new Probe(PAY + ".querySelector('button:nth-of-type(2)')", "#pay >>> div>button:nth-of-type(2)"),
            new Probe(PAY + ".querySelector('span')", "#pay >>> div>span"),
            new Probe(EMBED + ".querySelector('button:nth-of-type(1)')", "#embed >>> body>button:nth-of-type(1)"),
            new Probe(EMBED + ".querySelector('button:nth-of-type(2)')", "#embed >>> body>button:nth-of-type(2)"));

    private static FixtureServer site;

    @BeforeAll
    static void serve() throws IOException {
        String page = new String(FixtureServer.Response.resource("components.html").body(), StandardCharsets.UTF_8);
        String tracked = page.replace("</head>", FixtureServer.recordingTracker("data-site=\"parity\" data-api=\"/collect\"") + "</head>");
        site = FixtureServer.start("127.0.0.1")
                .route("/components", FixtureServer.Response.html(page))
                .route("/tracked", FixtureServer.Response.html(tracked))
                .route("/frame", FixtureServer.Response.resource("frame.html"))
                .withTracker();
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    @Test
    void capture_has_a_box_for_each_selector_the_tracker_sends_inside_shadow_roots_and_frames() throws Exception {
        List<ElementBox> pageBoxes = new ArrayList<>();
        List<Click> clicks = clickEveryProbe(pageBoxes);
        assertThat(clicks).extracting(Click::selector).as("what the tracker sent")
                .containsExactlyElementsOf(PROBES.stream().map(Probe::selector).toList());

        Shot shot = new PageCapturer(CaptureSettings.defaults().withAllowPrivateAddresses(true))
                .capture(new CaptureTarget(URI.create(site.url("/components")), site.origins(), "desktop", 1440));
        for (Click click : clicks) {
            ElementBox b = box(shot, click.selector());
            assertThat(click.x()).as("x of %s in its box %s", click.selector(), b).isBetween(b.x(), b.x() + b.width());
            assertThat(click.y()).as("y of %s in its box %s", click.selector(), b).isBetween(b.y(), b.y() + b.height());
        }
        for (ElementBox expected : pageBoxes) {
            assertThat(box(shot, expected.selector())).as("box of %s", expected.selector()).isEqualTo(expected);
        }
    }

    /** A click as the tracker sent it: selector and page px. */
    private record Click(String selector, int x, int y) {
    }

    /** Clicks the middle of every probe; collects what the tracker sent and each probe's page box. */
    private static List<Click> clickEveryProbe(List<ElementBox> pageBoxes) throws IOException {
        try (Chromium.TemporaryBrowser browser = Chromium.window(1440, 900).arguments("--hide-scrollbars").startWithTemporaryProfile()) {
            ChromeDriver driver = browser.driver();
            driver.get(site.url("/tracked"));
            PointerInput mouse = new PointerInput(PointerInput.Kind.MOUSE, "mouse");
            Sequence sequence = new Sequence(mouse, 0);
            for (Probe probe : PROBES) {
                // The middle of the element, in the window's viewport (a frame's content starts inside its border).
                List<?> point = (List<?>) driver.executeScript("""
                        const el = %s, r = el.getBoundingClientRect();
                        let x = r.left + r.width / 2, y = r.top + r.height / 2;
                        const frame = el.ownerDocument.defaultView.frameElement;
                        if (frame) {
                          const f = frame.getBoundingClientRect();
                          x += f.left + frame.clientLeft;
                          y += f.top + frame.clientTop;
                        }
                        const left = x - r.width / 2, top = y - r.height / 2;
                        return [Math.round(x), Math.round(y), Math.round(left + scrollX), Math.round(top + scrollY),
                                Math.round(r.width), Math.round(r.height)];""".formatted(probe.element()));
                pageBoxes.add(new ElementBox(probe.selector(), n(point.get(2)), n(point.get(3)), n(point.get(4)), n(point.get(5))));
                sequence.addAction(mouse.createPointerMove(Duration.ZERO, PointerInput.Origin.viewport(),
                        n(point.get(0)), n(point.get(1))));
                sequence.addAction(mouse.createPointerDown(PointerInput.MouseButton.LEFT.asArg()));
                sequence.addAction(mouse.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
            }
            driver.perform(List.of(sequence));
            driver.executeScript("window.dispatchEvent(new Event('pagehide'))");
            String sent = String.join("\n", (List<String>) driver.executeScript("return window.sent"));
            List<Click> clicks = new ArrayList<>();
            Matcher m = Pattern.compile("\"kind\":\"click\",\"t\":\\d+,\"selector\":\"((?:[^\"\\\\]|\\\\.)*)\".*?\"x\":([\\d.]+),\"y\":([\\d.]+)")
                    .matcher(sent);
            while (m.find()) {
                clicks.add(new Click(m.group(1).replace("\\\"", "\""), (int) Math.round(Double.parseDouble(m.group(2))),
                        (int) Math.round(Double.parseDouble(m.group(3)))));
            }
            return clicks;
        }
    }

    private static int n(Object number) {
        return ((Number) number).intValue();
    }
}
