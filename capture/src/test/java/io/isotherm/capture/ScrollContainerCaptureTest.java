package io.isotherm.capture;

import io.isotherm.testing.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.isotherm.capture.Images.GREEN;
import static io.isotherm.capture.Images.RED;
import static io.isotherm.capture.Images.YELLOW;
import static io.isotherm.capture.Images.box;
import static io.isotherm.capture.Images.rgb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * An app that scrolls a container under a fixed header (container-app.html: 56 px header, 104 px on a phone; a list
 * of 60 items, 4800 px) is captured whole, and the real tracker (tracker-js/src/t.js) sends clicks on items deep in the
 * list in the capture's coordinates: each lands inside the captured box of the element it was made on. The container
 * is named by the tag's data-scroll-root ("named") or found by both sides' detection ("detected"); "absolute" places
 * it by insets (top and bottom) instead of as a flex item.
 */
class ScrollContainerCaptureTest {
    private static final int LIST_HEIGHT = 30 * 70 + 30 * 90;
    private static final int[] ITEMS = {20, 33, 47, 60};
    private static final double[][] FRACTIONS = {{0.1, 0.1}, {0.5, 0.5}, {0.9, 0.9}};
    private static final Pattern CLICK = Pattern.compile(
            "\"kind\":\"click\",\"t\":\\d+,\"selector\":\"((?:[^\"\\\\]|\\\\.)*)\".*?\"x\":([\\d.]+),\"y\":([\\d.]+)");
    private static final Pattern SCROLL = Pattern.compile("\"kind\":\"scroll\",\"t\":\\d+,\"y\":([\\d.]+)");
    private static final Pattern VIEWPORT = Pattern.compile("\"viewport\":\\{\"width\":(\\d+),\"height\":([\\d.]+)}");
    private static final Pattern DOCUMENT = Pattern.compile("\"document\":\\{\"width\":(\\d+),\"height\":([\\d.]+)}");

    private static final String ABSOLUTE = "<style>#list { position: absolute; top: 56px; left: 0; right: 0; bottom: 0; "
            + "margin-top: 0; } @media (max-width: 600px) { #list { top: 104px; margin-top: 0; } }</style>\n";

    private static FixtureServer site;
    /**
     * The browsers that click, one per window size and kind of screen, each reused by the cases of its size: every
     * case loads its page afresh, so none sees another's document, and a browser start is saved per case.
     */
    private static final Map<String, Chromium.TemporaryBrowser> CLICKERS = new HashMap<>();

    @BeforeAll
    static void serve() throws IOException {
        String page = new String(FixtureServer.Response.resource("container-app.html").body(), StandardCharsets.UTF_8);
        String named = FixtureServer.recordingTracker("data-site=\"app\" data-api=\"/collect\" data-scroll-root=\"#list\"");
        site = FixtureServer.start("127.0.0.1")
                .route("/named", FixtureServer.Response.html(page.replace("<!--tracker-->",
                        named)))
                .route("/detected", FixtureServer.Response.html(page.replace("<!--tracker-->",
                        FixtureServer.recordingTracker("data-site=\"app\" data-api=\"/collect\""))))
                // The container placed by insets instead of flex: its height comes from top and bottom.
                .route("/absolute", FixtureServer.Response.html(page.replace("<!--tracker-->", ABSOLUTE + named)))
                // The container itself fixed to the window: clicks inside it still scroll with it, they are not fixed.
                .route("/fixed", FixtureServer.Response.html(page.replace("<!--tracker-->", ABSOLUTE.replace("absolute", "fixed") + named)))
                .withTracker();
    }

    @AfterAll
    static void stop() {
        try {
            CLICKERS.values().forEach(Chromium.TemporaryBrowser::close);
        } finally {
            site.close();
        }
    }

    @ParameterizedTest(name = "{0} at {1} px, container {2}")
    @CsvSource({"desktop, 1280, 900, named", "desktop, 1440, 900, named", "desktop, 1920, 900, named",
            "mobile, 390, 844, named", "desktop, 1440, 900, detected", "mobile, 390, 844, detected",
            "desktop, 1280, 900, absolute", "mobile, 390, 844, absolute",
            "desktop, 1920, 900, fixed", "mobile, 390, 844, fixed"})
    void clicks_deep_in_a_scroll_container_land_on_their_captured_boxes(String device, int width, int height, String page)
            throws Exception {
        int header = device.equals("mobile") ? 104 : 56;
        Shot shot = new PageCapturer(CaptureSettings.defaults().withAllowPrivateAddresses(true))
                .capture(new CaptureTarget(URI.create(site.url("/" + page)), site.origins(), device, width));

        // The whole list under the header, the header once at the top.
        assertThat(shot.height()).isCloseTo(header + LIST_HEIGHT, within(3));
        BufferedImage image = Images.stitch(shot);
        int redRows = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            if (rgb(image, width - 5, y) == RED) redRows++;
        }
        assertThat(redRows).as("rows of the header").isEqualTo(header);
        for (int i : ITEMS) {
            ElementBox item = box(shot, item(i));
            assertThat(item.y()).as("item %d is below the first screen", i).isGreaterThan(height);
            assertThat(rgb(image, item.x() + item.width() / 2, item.y() + item.height() / 2)).as("item %d drawn in its box", i)
                    .isEqualTo(i % 2 == 0 ? YELLOW : GREEN);
        }

        Visit visit = clickItems(page, width, height, device.equals("mobile"));
        assertThat(visit.clicks).hasSize(ITEMS.length * FRACTIONS.length);
        for (int c = 0; c < visit.clicks.size(); c++) {
            Click click = visit.clicks.get(c);
            assertThat(click.selector).isEqualTo(item(ITEMS[c / FRACTIONS.length]));
            ElementBox box = box(shot, click.selector);
            assertThat(click.x).as("x of click %d in %s", c, box).isBetween(box.x(), box.x() + box.width() - 1);
            assertThat(click.y).as("y of click %d in %s", c, box).isBetween(box.y(), box.y() + box.height() - 1);
        }

        // Scroll depth in the same page px: the fold is the header plus the container's visible height, the deepest
        // point the bottom of the list, and the document the header plus the whole list.
        assertThat(visit.fold).isEqualTo(header + visit.clientHeight);
        assertThat(visit.deepest).isEqualTo(header + LIST_HEIGHT);
        assertThat(visit.documentHeight).isEqualTo(header + LIST_HEIGHT);
    }

    private record Click(String selector, int x, int y) {
    }

    private record Visit(List<Click> clicks, int fold, int deepest, int documentHeight, int clientHeight) {
    }

    /** Real mouse clicks at FRACTIONS of each of ITEMS, each scrolled into the middle of the container first. */
    private static Visit clickItems(String page, int width, int height, boolean phone) {
        ChromeDriver driver = CLICKERS.computeIfAbsent(width + "x" + height + (phone ? " phone" : ""),
                size -> Chromium.window(width, height).startWithTemporaryProfile()).driver();
        if (phone) {
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", width, "height", height, "deviceScaleFactor", 2, "mobile", true));
        }
        driver.get(site.url("/" + page));
        for (int i : ITEMS) {
            List<?> r = (List<?>) driver.executeAsyncScript("var done = arguments[arguments.length - 1], "
                    + "el = document.querySelector(arguments[0]); el.scrollIntoView({block: 'center'}); "
                    + "requestAnimationFrame(() => requestAnimationFrame(() => { var r = el.getBoundingClientRect(); "
                    + "done([r.left, r.top, r.width, r.height]); }))", item(i));
            double left = n(r.get(0)), top = n(r.get(1)), w = n(r.get(2)), h = n(r.get(3));
            for (double[] f : FRACTIONS) {
                new Actions(driver).moveToLocation((int) Math.round(left + f[0] * w), (int) Math.round(top + f[1] * h))
                        .click().perform();
            }
        }
        int clientHeight = (int) n(driver.executeScript("return document.querySelector('#list').clientHeight"));
        driver.executeScript("window.dispatchEvent(new Event('pagehide'))");
        String sent = String.join("\n", (List<String>) driver.executeScript("return window.sent"));
        List<Click> clicks = new ArrayList<>();
        Matcher m = CLICK.matcher(sent);
        while (m.find()) {
            clicks.add(new Click(m.group(1).replace("\\\"", "\""), round(m.group(2)), round(m.group(3))));
        }
        int deepest = 0;
        for (Matcher s = SCROLL.matcher(sent); s.find(); ) deepest = Math.max(deepest, round(s.group(1)));
        Matcher viewport = VIEWPORT.matcher(sent), document = DOCUMENT.matcher(sent);
        assertThat(viewport.find() && document.find()).as("a batch in %s", sent).isTrue();
        return new Visit(clicks, round(viewport.group(2)), deepest, round(document.group(2)), clientHeight);
    }

    private static String item(int i) {
        return "[data-testid=\"item-" + i + "\"]";
    }

    private static int round(String number) {
        return (int) Math.round(Double.parseDouble(number));
    }

    private static double n(Object number) {
        return ((Number) number).doubleValue();
    }
}
