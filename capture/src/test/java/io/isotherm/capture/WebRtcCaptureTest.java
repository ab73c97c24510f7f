package io.isotherm.capture;

import io.isotherm.capture.FixtureServer.Response;
import io.isotherm.testing.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebRTC opens its own connections (STUN over UDP, TURN over TCP) to any address a page names, past the request
 * interception and so past the address guard. A STUN and a TURN "server" on loopback count what reaches them: a
 * capture must reach neither, while the same page in a plain headless Chromium does reach them (so the test can fail).
 */
class WebRtcCaptureTest {
    /** How long packets may take to arrive after the page asked for candidates. */
    private static final long QUIET_MILLIS = 3_000;

    private static DatagramSocket stun;
    private static ServerSocket turn;
    private static final AtomicInteger udpPackets = new AtomicInteger();
    private static final AtomicInteger tcpConnections = new AtomicInteger();
    private static FixtureServer site;

    @BeforeAll
    static void serve() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        stun = new DatagramSocket(new InetSocketAddress(loopback, 0));
        turn = new ServerSocket(0, 50, loopback);
        daemon(WebRtcCaptureTest::receiveUdp);
        daemon(WebRtcCaptureTest::acceptTcp);
        String iceServers = "{iceServers: [{urls: 'stun:127.0.0.1:" + stun.getLocalPort() + "'}, "
                + "{urls: 'turn:127.0.0.1:" + turn.getLocalPort() + "?transport=tcp', username: 'u', credential: 'p'}]}";
        // The page reports in its title whether it got a peer connection, so a capture shows its script did run.
        String gather = "function gather(Peer) { try { const pc = new Peer(" + iceServers + "); pc.createDataChannel('x'); "
                + "pc.createOffer().then(o => pc.setLocalDescription(o)); document.title = 'gathering'; } "
                + "catch (e) { document.title = 'refused: ' + e.name; } }";
        site = FixtureServer.start("127.0.0.1")
                .route("/rtc", Response.html("<title>loading</title><p>WebRTC</p><script>" + gather
                        + " gather(window.RTCPeerConnection);</script>"))
                // A fresh same-origin frame has its own globals: the constructor must be gone there too.
                .route("/rtc-frame", Response.html("<title>loading</title><p>WebRTC in a frame</p><script>" + gather
                        + " const f = document.createElement('iframe'); document.body.append(f); "
                        + "gather(f.contentWindow.RTCPeerConnection);</script>"));
    }

    @AfterAll
    static void stop() {
        site.close();
        stun.close();
        try {
            turn.close();
        } catch (IOException ignored) {
            // closing only
        }
    }

    @Test
    void a_captured_page_reaches_neither_stun_over_udp_nor_turn_over_tcp() throws Exception {
        assertCaptureReachesNothing("/rtc");
    }

    @Test
    void a_captured_page_cannot_take_webrtc_from_a_fresh_frame() throws Exception {
        assertCaptureReachesNothing("/rtc-frame");
    }

    @Test
    void the_same_page_in_a_plain_headless_chromium_reaches_both(@TempDir Path profile) throws Exception {
        int udpBefore = udpPackets.get();
        int tcpBefore = tcpConnections.get();
        ChromeDriver driver = Chromium.window(1024, 768).profile(profile).start();
        try {
            driver.get(site.url("/rtc"));
            assertThat(driver.getTitle()).isEqualTo("gathering");
            long end = System.nanoTime() + 10_000_000_000L; // a liveness bound: ICE gathering starts at once
            while ((udpPackets.get() == udpBefore || tcpConnections.get() == tcpBefore) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
        } finally {
            driver.quit();
        }
        assertThat(udpPackets.get()).as("STUN packets").isGreaterThan(udpBefore);
        assertThat(tcpConnections.get()).as("TURN connections").isGreaterThan(tcpBefore);
    }

    private static void assertCaptureReachesNothing(String path) throws Exception {
        int udpBefore = udpPackets.get();
        int tcpBefore = tcpConnections.get();
        Shot shot = new PageCapturer(CaptureSettings.defaults().withAllowPrivateAddresses(true))
                .capture(new CaptureTarget(URI.create(site.url(path)), site.origins(), "desktop", 1024));
        assertThat(shot.title()).isEqualTo("refused: SecurityError");
        Thread.sleep(QUIET_MILLIS);
        assertThat(udpPackets.get() - udpBefore).as("STUN packets from the capture").isZero();
        assertThat(tcpConnections.get() - tcpBefore).as("TURN connections from the capture").isZero();
    }

    private static void receiveUdp() {
        byte[] buffer = new byte[2048];
        while (!stun.isClosed()) {
            try {
                stun.receive(new DatagramPacket(buffer, buffer.length));
                udpPackets.incrementAndGet();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void acceptTcp() {
        while (!turn.isClosed()) {
            try (Socket ignored = turn.accept()) {
                tcpConnections.incrementAndGet();
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                // one bad connection: keep counting
            }
        }
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "webrtc-test-listener");
        thread.setDaemon(true);
        thread.start();
    }
}
