package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.dashboard.ViewerBrowser.Pixel;
import io.isotherm.db.site.Site;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.OutputType;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default rendering is legible on any page: the same hotspot drawn over a white, a black and a saturated blue
 * (indigo, #3730a3) area of one screenshot differs from the page under it by at least {@value #MIN_DELTA_E} ΔE00 all
 * round its half-maximum ring (10 is plain at a glance), and the page under an area without clicks is left exactly
 * as it is. Colours are read from Chromium's own screenshot of the viewer: the page, the heat layer and its opacity
 * as a person sees them, at the default palette, scale, opacity and smoothing.
 */
class ViewerLegibilityTest extends ViewerTest {
    static final String PAGE = "https://shop.example/brand";
    static final int MIN_DELTA_E = 20;
    static final int WIDTH = 1440, HEIGHT = 1200, BAND = 480, CLICKS = 20;
    static final int[][] BACKGROUNDS = {{255, 255, 255}, {0, 0, 0}, {0x37, 0x30, 0xa3}};
    static final String[] NAMES = {"white", "black", "blue"};
    /** The anchored clicks land in each button's middle, (240 + 480k, 600): drawn there, not at a cell's centre. */
    static final int SPOT_X = 240, SPOT_Y = 600;

    static Site site;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        Traffic traffic = server.traffic();
        site = traffic.site("UTC");
        long page = traffic.page(site, PAGE);
        List<Traffic.Box> buttons = List.of(new Traffic.Box("#on-white", 140, 580, 200, 40),
                new Traffic.Box("#on-black", 140 + BAND, 580, 200, 40), new Traffic.Box("#on-blue", 140 + 2 * BAND, 580, 200, 40));
        traffic.capture(site, page, "desktop", WIDTH, HEIGHT, HEIGHT, List.of(bands()), buttons);
        Instant at = DashboardServer.TODAY.minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);
        for (int v = 0; v < 4; v++) {
            Traffic.Visit visit = traffic.visit(site, page, "desktop", WIDTH, 900, HEIGHT);
            for (int c = 0; c < CLICKS / 4; c++) {
                for (int k = 0; k < 3; k++) visit.click(at.plusSeconds(c * 3L + k), 240 + k * BAND, 600, buttons.get(k).selector());
            }
            visit.send();
        }
        traffic.aggregate();
        browser = ViewerBrowser.start(profile);
    }

    /** Three bands side by side: white, black and the blue of a brand's call to action. */
    static byte[] bands() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        for (int k = 0; k < 3; k++) {
            g.setColor(new Color(BACKGROUNDS[k][0], BACKGROUNDS[k][1], BACKGROUNDS[k][2]));
            g.fillRect(k * BAND, 0, BAND, HEIGHT);
        }
        g.dispose();
        return Traffic.png(image);
    }

    @Test
    void the_hotspot_stands_out_on_white_black_and_blue_and_cold_areas_leave_the_page_untouched() throws IOException {
        // True scale, so a page px is a screen px; everything else at its default.
        browser.open(server.viewUrl(site, PAGE, "&zoom=100"));
        assertThat(browser.number("window.devicePixelRatio")).isEqualTo(1);
        JsonNode map = server.get(site.publicKey(), "heatmap", "page", PAGE).json();
        double sigma = map.get("sigma").asDouble();
        assertThat(sigma).as("the default radius").isEqualTo(map.get("defaultSigma").asDouble());
        double halfMaximum = sigma * Math.sqrt(2 * Math.log(2));

        for (int k = 0; k < 3; k++) {
            int cx = SPOT_X + k * BAND, cy = SPOT_Y;
            int[] page = BACKGROUNDS[k];
            BufferedImage shot = screenshot(k, cx, cy);
            // Kept for a person to look at: target/legibility-white.png and so on.
            ImageIO.write(shot, "png", java.nio.file.Path.of("target", "legibility-" + NAMES[k] + ".png").toFile());
            double least = Double.MAX_VALUE;
            for (int i = 0; i < 16; i++) {
                double angle = i * Math.PI / 8;
                int[] drawn = rgb(shot, cx + halfMaximum * Math.cos(angle), cy + halfMaximum * Math.sin(angle));
                least = Math.min(least, Ciede2000.difference(drawn, page));
            }
            double peak = Ciede2000.difference(rgb(shot, cx, cy), page);
            System.out.printf("ΔE00 over %s: at least %.1f round the half maximum, %.1f at the peak%n", NAMES[k], least, peak);
            assertThat(least).as("ΔE00 at the half maximum over %s", NAMES[k]).isGreaterThanOrEqualTo(MIN_DELTA_E);
            assertThat(peak).as("the peak over %s", NAMES[k]).isGreaterThanOrEqualTo(MIN_DELTA_E);
            // The ring round the hot core, in the palette's far colour: just inside 90 % of the peak, 0.46σ out.
            Pixel ringColour = new Pixel(0x44, 0x01, 0x54, 255);
            int rim = -1;
            for (int d = 0; d <= sigma && rim < 0; d++) {
                Pixel p = browser.pixel(0, cx + d, cy);
                if (p.a() == 255 && p.distance(ringColour) <= 30) rim = d;
            }
            assertThat(rim).as("the ring's distance from the peak over %s", NAMES[k])
                    .isBetween((int) (0.46 * sigma) - 4, (int) Math.ceil(0.46 * sigma) + 1);
            // 260 px below the spot, beyond the kernel's reach (4σ ≤ 192 px, and a cell more): nothing was counted there.
            assertThat(rgb(shot, cx, cy + 260)).as("the page under a cold area over %s", NAMES[k]).containsExactly(page);
            assertThat(browser.pixel(0, cx, cy + 260).transparent()).isTrue();
        }
    }

    /** Chromium's screenshot with page point (x, y) in view: the page, the heat layer and its opacity composited. */
    private static BufferedImage screenshot(int k, int x, int y) {
        browser.scrollTo(0, x, y);
        int[] at = browser.clientPoint(0, x, y);
        try {
            BufferedImage shot = ImageIO.read(new ByteArrayInputStream(browser.driver().getScreenshotAs(OutputType.BYTES)));
            origin = new int[] {at[0] - x, at[1] - y};
            return shot;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Screen px of page px (0, 0) in the last screenshot. */
    private static int[] origin;

    private static int[] rgb(BufferedImage shot, double x, double y) {
        int argb = shot.getRGB(origin[0] + (int) Math.floor(x), origin[1] + (int) Math.floor(y));
        return new int[] {(argb >> 16) & 255, (argb >> 8) & 255, argb & 255};
    }
}
