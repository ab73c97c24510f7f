package io.isotherm.capture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.util.List;

import static io.isotherm.capture.Images.BLUE;
import static io.isotherm.capture.Images.GREEN;
import static io.isotherm.capture.Images.MAGENTA;
import static io.isotherm.capture.Images.RED;
import static io.isotherm.capture.Images.YELLOW;
import static io.isotherm.capture.Images.box;
import static io.isotherm.capture.Images.rgb;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * page.html at each device class. Its boxes have fixed sizes, so where everything is follows from the viewport
 * height VH: header 0-60 (fixed), tabs 60-100 (sticky), hero 100-(100+VH), four 500 px sections, a 100 px footer.
 */
class FullPageCaptureTest {
    private static FixtureServer site;

    @BeforeAll
    static void serve() {
        site = FixtureServer.start("127.0.0.1")
                .route("/shop", FixtureServer.Response.resource("page.html"))
                .route("/lazy.png", FixtureServer.Response.png(Images.solid(200, 100, MAGENTA)))
                // No viewport meta tag: a phone lays the page out 980 CSS px wide and shows it zoomed out.
                .route("/desktop-only", FixtureServer.Response.html("""
                        <!doctype html><html><head><title>Old site</title><style>
                          body { margin: 0; background: #fff; } main { width: 980px; height: 4900px; position: relative; }
                          #buy { position: absolute; left: 490px; top: 2450px; width: 245px; height: 98px; background: #f00; border: 0; }
                        </style></head><body><main><button id="buy"></button></main></body></html>"""))
                // A sticky bar that starts 1500 px down: below the first viewport of every device.
                .route("/sticky-below", FixtureServer.Response.html("""
                        <!doctype html><html><head><meta name="viewport" content="width=device-width">
                        <title>Sticky below</title><style>
                          body { margin: 0; background: #fff; }
                          #intro { height: 1500px; } #rest { height: 3000px; }
                          #bar { position: sticky; top: 10px; height: 50px; background: #00f; z-index: 1; }
                        </style></head><body><div id="intro"></div><nav id="bar"></nav><div id="rest"></div></body></html>"""));
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    @ParameterizedTest(name = "{0} at {1} px")
    @CsvSource({"desktop, 1440, 900", "tablet, 820, 1180", "mobile, 390, 844"})
    void captures_the_whole_page_as_the_device_shows_it(String device, int width, int vh) throws Exception {
        int lazyHitsBefore = site.hits("/lazy.png");
        Shot shot = new PageCapturer(CaptureSettings.defaults().withAllowPrivateAddresses(true))
                .capture(new CaptureTarget(URI.create(site.url("/shop")), site.origins(), device, width));

        int documentHeight = 2200 + vh;
        assertThat(shot.flag()).isNull();
        assertThat(shot.httpStatus()).isEqualTo(200);
        assertThat(shot.finalUrl()).isEqualTo(URI.create(site.url("/shop")));
        assertThat(shot.width()).isEqualTo(width);
        assertThat(shot.height()).isEqualTo(documentHeight);
        assertThat(shot.truncated()).isFalse();
        assertThat(shot.title()).isEqualTo("Fixture shop");
        assertThat(shot.tiles()).hasSize((documentHeight + vh - 1) / vh);
        BufferedImage page = Images.stitch(shot);
        assertThat(page.getHeight()).isEqualTo(documentHeight);

        // Boxes in page px, by the tracker's selectors; fixed and sticky ones in viewport px at scroll 0.
        assertThat(box(shot, "#top")).isEqualTo(new ElementBox("#top", 0, 0, width, 60));
        assertThat(box(shot, "#logo")).isEqualTo(new ElementBox("#logo", 20, 10, 100, 40));
        assertThat(box(shot, "#tabs")).isEqualTo(new ElementBox("#tabs", 0, 60, width, 40));
        assertThat(box(shot, "#hero")).as("100vh is one viewport, not the page").isEqualTo(new ElementBox("#hero", 0, 100, width, vh));
        assertThat(box(shot, "#buy")).isEqualTo(new ElementBox("#buy", 100, vh + 150, 120, 40));
        assertThat(box(shot, "[data-testid=\"signup\"]")).isEqualTo(new ElementBox("[data-testid=\"signup\"]", 300, vh + 160, 80, 30));
        assertThat(box(shot, "body>main>section:nth-of-type(2)>p"))
                .isEqualTo(new ElementBox("body>main>section:nth-of-type(2)>p", 10, vh + 700, 200, 50));
        assertThat(box(shot, "#end")).isEqualTo(new ElementBox("#end", 0, vh + 2100, width, 100));

        // Lazy content far down was loaded by scrolling: the lazy image and the block an IntersectionObserver inserts.
        assertThat(site.hits("/lazy.png")).isGreaterThan(lazyHitsBefore);
        assertThat(box(shot, "#lazy-img")).isEqualTo(new ElementBox("#lazy-img", 0, vh + 1700, 200, 100));
        assertThat(rgb(page, 100, vh + 1750)).as("lazy image pixel").isEqualTo(MAGENTA);
        assertThat(box(shot, "#io-block")).isEqualTo(new ElementBox("#io-block", 0, vh + 1900, width, 100));
        assertThat(rgb(page, width / 2, vh + 1950)).as("IntersectionObserver block pixel").isEqualTo(YELLOW);

        // The fixed header and the sticky tabs appear once, at the top, and not at the top of later tiles.
        assertThat(rgb(page, 5, 5)).isEqualTo(RED);
        assertThat(rgb(page, 5, 80)).isEqualTo(BLUE);
        assertThat(rgb(page, 5, 100 + vh / 2)).isEqualTo(GREEN);
        assertThat(rgb(page, 5, 100 + vh - 3)).as("hero bottom").isEqualTo(GREEN);
        assertThat(rgb(page, 5, 100 + vh + 3)).as("below the hero").isNotEqualTo(GREEN);
        for (Tile tile : shot.tiles().subList(1, shot.tiles().size())) {
            assertThat(rgb(page, 5, tile.y() + 5)).as("header repeated at %d", tile.y()).isNotEqualTo(RED);
            if (tile.height() > 80) assertThat(rgb(page, 5, tile.y() + 80)).as("tabs repeated at %d", tile.y()).isNotEqualTo(BLUE);
        }

        // What the page saw of the device.
        assertThat(site.userAgent("/shop")).endsWith(" Isotherm-Capture/1").doesNotContainIgnoringCase("headless");
        List<String> probes = shot.elements().stream().map(ElementBox::selector)
                .filter(s -> s.startsWith("[data-testid=\"") && !s.contains("signup")).toList();
        boolean touch = !device.equals("desktop");
        assertThat(probes).contains("[data-testid=\"ua-regular-chrome\"]", "[data-testid=\"gpc\"]");
        assertThat(probes.contains("[data-testid=\"ua-phone\"]")).as("phone user agent").isEqualTo(device.equals("mobile"));
        assertThat(probes.contains("[data-testid=\"ua-tablet\"]")).as("tablet user agent").isEqualTo(device.equals("tablet"));
        assertThat(probes.contains("[data-testid=\"touch-events\"]")).as("touch events").isEqualTo(touch);
        assertThat(probes.contains("[data-testid=\"coarse-pointer\"]")).as("coarse pointer").isEqualTo(touch);
        assertThat(shot.elements().stream().anyMatch(b -> b.selector().equals("#touch-only")))
                .as("the block shown only under (pointer: coarse)").isEqualTo(touch);
    }

    @ParameterizedTest(name = "{0} at {1} px")
    @CsvSource({"desktop, 1440", "mobile, 390"})
    void a_sticky_bar_below_the_first_screen_is_drawn_once_where_it_is_in_the_flow(String device, int width) throws Exception {
        Shot shot = new PageCapturer(CaptureSettings.defaults().withAllowPrivateAddresses(true))
                .capture(new CaptureTarget(URI.create(site.url("/sticky-below")), site.origins(), device, width));
        BufferedImage page = Images.stitch(shot);
        assertThat(page.getHeight()).isEqualTo(1500 + 50 + 3000);
        assertThat(shot.tiles()).hasSizeGreaterThan(3); // the bar would have stuck to the top of the later ones

        List<Integer> blueRows = new java.util.ArrayList<>();
        for (int y = 0; y < page.getHeight(); y++) {
            if (rgb(page, width / 2, y) == BLUE) blueRows.add(y);
        }
        assertThat(blueRows).as("rows of the bar's colour").hasSize(50);
        assertThat(blueRows.get(0)).as("the bar's first row").isEqualTo(1500);
        assertThat(blueRows.get(49)).as("the bar's last row").isEqualTo(1549);
        assertThat(box(shot, "#bar")).isEqualTo(new ElementBox("#bar", 0, 1500, width, 50));
    }

    @org.junit.jupiter.api.Test
    void a_page_without_a_viewport_tag_is_captured_zoomed_out_as_a_phone_shows_it() throws Exception {
        Shot shot = new PageCapturer(CaptureSettings.defaults().withAllowPrivateAddresses(true))
                .capture(new CaptureTarget(URI.create(site.url("/desktop-only")), site.origins(), "mobile", 390));
        // 980 CSS px shown 390 px wide: everything at 390 / 980 of its CSS size, in the image and in the boxes.
        double scale = 390 / 980.0;
        assertThat(shot.title()).isEqualTo("Old site");
        assertThat(shot.width()).isEqualTo(390);
        assertThat(shot.height()).isEqualTo((int) Math.round(4900 * scale));
        BufferedImage page = Images.stitch(shot);
        assertThat(page.getWidth()).isEqualTo(390);
        assertThat(page.getHeight()).isEqualTo(shot.height());
        assertThat(box(shot, "#buy")).isEqualTo(new ElementBox("#buy", (int) Math.round(490 * scale), (int) Math.round(2450 * scale),
                (int) Math.round(245 * scale), (int) Math.round(98 * scale)));
        assertThat(rgb(page, (int) ((490 + 120) * scale), (int) ((2450 + 49) * scale))).as("inside the button").isEqualTo(RED);
        assertThat(rgb(page, (int) ((490 - 20) * scale), (int) ((2450 + 49) * scale))).as("left of the button").isNotEqualTo(RED);
    }
}
