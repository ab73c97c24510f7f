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
 * WebRTC opens its own connections (STUN over UDP, TURN over TCP) to any address a page names, and WebTransport its
 * QUIC ones (UDP), past the request interception and so past the address guard. A STUN and a TURN "server" on
 * loopback count what reaches them: a capture must reach neither, while the same pages in a plain headless Chromium
 * do reach them (so the test can fail).
 */
class WebRtcCaptureTest {
    /**
     * How long to go on listening after a capture: its browser is gone by then, so this is only for packets still on
     * their way to the listeners (the page had its whole capture, seconds, to send them).
     */
    private static final long QUIET_MILLIS = 1_000;

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
                        + "gather(f.contentWindow.RTCPeerConnection);</script>"))
                // WebTransport is HTTP/3 over QUIC: UDP to any address, past the interception as well.
                .route("/webtransport", Response.html("<title>loading</title><p>WebTransport</p><script>"
                        + "try { new WebTransport('https://127.0.0.1:" + stun.getLocalPort() + "/').ready.catch(() => {}); "
                        + "document.title = 'connecting'; } catch (e) { document.title = 'refused: ' + e.name; }</script>"));
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
    void a_captured_page_cannot_open_a_webtransport_session() throws Exception {
        assertCaptureReachesNothing("/webtransport");
    }

    @Test
    void the_same_pages_in_a_plain_headless_chromium_reach_both(@TempDir Path profile) throws Exception {
        ChromeDriver driver = Chromium.window(1024, 768).profile(profile).start();
        try {
            int udpBefore = udpPackets.get();
            int tcpBefore = tcpConnections.get();
            driver.get(site.url("/rtc"));
            assertThat(driver.getTitle()).isEqualTo("gathering");
            awaitMore(udpBefore, tcpBefore);
            assertThat(udpPackets.get()).as("STUN packets").isGreaterThan(udpBefore);
            assertThat(tcpConnections.get()).as("TURN connections").isGreaterThan(tcpBefore);

            udpBefore = udpPackets.get();
            driver.get(site.url("/webtransport"));
            assertThat(driver.getTitle()).isEqualTo("connecting");
            awaitMore(udpBefore, -1);
            assertThat(udpPackets.get()).as("QUIC packets").isGreaterThan(udpBefore);
        } finally {
            driver.quit();
        }
    }

    /** Waits until more UDP packets and (unless -1) TCP connections came in; a liveness bound of 10 s. */
    private static void awaitMore(int udpBefore, int tcpBefore) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while ((udpPackets.get() == udpBefore || (tcpBefore >= 0 && tcpConnections.get() == tcpBefore)) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
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
