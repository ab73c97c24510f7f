package io.isotherm.capture;

import io.isotherm.capture.FixtureServer.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Time, height and size limits, unreachable pages and a missing browser. */
class CaptureLimitsTest {
    private static final CaptureSettings LOOPBACK = CaptureSettings.defaults().withAllowPrivateAddresses(true);
    private static FixtureServer site;

    @BeforeAll
    static void serve() {
        site = FixtureServer.start("127.0.0.1")
                .hold("/never")
                .route("/tall", Response.html("<body style=\"margin:0\"><div style=\"height:5000px;"
                        + "background:linear-gradient(rgb(255,0,0),rgb(0,0,255))\"></div></body>"))
                .route("/heavy", Response.html("<title>Heavy</title><img src=\"/noise.png\">"))
                .route("/noise.png", Response.png(Images.noise(300, 300)));
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    private static CaptureTarget target(String url) {
        return new CaptureTarget(URI.create(url), site.origins(), "desktop", 1024);
    }

    private static CaptureSettings with(Duration timeout, int maxHeight, long maxBytes) {
        return new CaptureSettings(LOOPBACK.chromium(), LOOPBACK.chromedriver(), true, timeout, maxHeight, maxBytes);
    }

    @Test
    void page_that_never_loads_times_out_and_its_browser_is_killed() {
        assertThatThrownBy(() -> new PageCapturer(with(Duration.ofSeconds(5), 30_000, 50_000_000)).capture(target(site.url("/never"))))
                .isInstanceOfSatisfying(CaptureFailure.class, f -> {
                    assertThat(f.reason()).isEqualTo(CaptureFailure.Reason.TIMEOUT);
                    assertThat(f.getMessage()).contains("did not finish within 5 s");
                });
        assertThat(site.hits("/never")).isPositive();
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(p -> p.info().command().orElse("?")))
                .as("chromedriver and Chromium are gone").isEmpty();
    }

    @Test
    void page_taller_than_max_height_is_captured_down_to_it_and_marked_truncated() throws Exception {
        Shot shot = new PageCapturer(with(Duration.ofSeconds(45), 2000, 50_000_000)).capture(target(site.url("/tall")));
        assertThat(shot.truncated()).isTrue();
        assertThat(shot.height()).isEqualTo(2000);
        assertThat(shot.tiles()).extracting(Tile::y).containsExactly(0, 900, 1800);
        assertThat(shot.tiles()).extracting(Tile::height).containsExactly(900, 900, 200);
        var page = Images.stitch(shot);
        // The gradient runs over 5000 px: at 1999 px it is still mostly red, and each row is redder than the next.
        int red1000 = (Images.rgb(page, 10, 1000) >> 16) & 0xff, red1999 = (Images.rgb(page, 10, 1999) >> 16) & 0xff;
        assertThat(red1999).isLessThan(red1000).isGreaterThan(128);
    }

    @Test
    void page_downloading_more_than_max_bytes_fails() {
        assertThat(Images.noise(300, 300).length).isGreaterThan(200_000);
        assertThatThrownBy(() -> new PageCapturer(with(Duration.ofSeconds(45), 30_000, 100_000)).capture(target(site.url("/heavy"))))
                .isInstanceOfSatisfying(CaptureFailure.class, f -> {
                    assertThat(f.reason()).isEqualTo(CaptureFailure.Reason.TOO_LARGE);
                    assertThat(f.getMessage()).contains("more than 0.1 MB");
                });
    }

    @Test
    void page_that_cannot_be_reached_fails_to_load_with_the_network_error() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/";
        assertThatThrownBy(() -> new PageCapturer(LOOPBACK)
                .capture(new CaptureTarget(URI.create(url), java.util.List.of("http://127.0.0.1:" + closedPort), "desktop", 1024)))
                .isInstanceOfSatisfying(CaptureFailure.class, f -> {
                    assertThat(f.reason()).isEqualTo(CaptureFailure.Reason.LOAD_FAILED);
                    assertThat(f.getMessage()).contains("net::ERR_CONNECTION_REFUSED", "Check that the URL opens from the server running Isotherm");
                });
    }

    @Test
    void missing_chromium_or_chromedriver_says_how_to_install_them() {
        CaptureSettings noChromium = new CaptureSettings(Path.of("/nonexistent/chromium"), LOOPBACK.chromedriver(), true,
                LOOPBACK.timeout(), LOOPBACK.maxHeight(), LOOPBACK.maxBytes());
        CaptureSettings noDriver = new CaptureSettings(LOOPBACK.chromium(), Path.of("/nonexistent/chromedriver"), true,
                LOOPBACK.timeout(), LOOPBACK.maxHeight(), LOOPBACK.maxBytes());
        for (CaptureSettings settings : java.util.List.of(noChromium, noDriver)) {
            assertThatThrownBy(() -> new PageCapturer(settings).capture(target(site.url("/tall"))))
                    .isInstanceOfSatisfying(CaptureFailure.class, f -> {
                        assertThat(f.reason()).isEqualTo(CaptureFailure.Reason.CHROMIUM_MISSING);
                        assertThat(f.getMessage()).contains("/nonexistent/", "apt-get install -y chromium chromium-driver",
                                "ISOTHERM_CHROMIUM");
                    });
        }
    }
}
