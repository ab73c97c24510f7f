package io.isotherm.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** /metrics can be limited to this machine, and to a scraper's token from elsewhere; /health and /t.js stay public. */
class MetricsAccessTest {
    @TempDir
    Path dataDir;

    @Test
    void metrics_need_the_token_from_another_address_and_the_collector_stays_public() throws Exception {
        InetAddress external = externalAddress();
        assumeTrue(external != null, "this machine has no non-loopback IPv4 address to test from");
        String token = "a-scraper-token-of-some-length";
        try (var platform = Platform.start(Settings.fromEnvironment(Map.of("ISOTHERM_DATA_DIR", dataDir.toString(),
                "ISOTHERM_PORT", "0", "ISOTHERM_BIND_ADDRESS", "0.0.0.0", "ISOTHERM_ROLES", "collector",
                "ISOTHERM_METRICS_ACCESS", "token", "ISOTHERM_METRICS_TOKEN", token)))) {
            int port = platform.port();
            String address = external.getHostAddress();
            assertThat(RawHttp.send(address, port, "GET", "/metrics", null).status()).isEqualTo(403);
            assertThat(RawHttp.send(address, port, "GET", "/metrics", null, "Authorization", "Bearer wrong-token").status()).isEqualTo(403);
            var scraped = RawHttp.send(address, port, "GET", "/metrics", null, "Authorization", "Bearer " + token);
            assertThat(scraped.status()).isEqualTo(200);
            assertThat(scraped.body()).contains("isotherm_collect_events_accepted_total");
            assertThat(RawHttp.send("127.0.0.1", port, "GET", "/metrics", null).status()).isEqualTo(200);
            assertThat(RawHttp.send(address, port, "GET", "/health", null).status()).isEqualTo(200);
            assertThat(RawHttp.send(address, port, "GET", "/t.js", null).status()).isEqualTo(200);
        }
    }

    @Test
    void a_token_mode_without_a_token_does_not_start() {
        var settings = Settings.fromEnvironment(Map.of("ISOTHERM_DATA_DIR", dataDir.toString(), "ISOTHERM_METRICS_ACCESS", "token"));
        org.assertj.core.api.Assertions.assertThatThrownBy(settings::checkForServing).hasMessageContaining("ISOTHERM_METRICS_TOKEN");
    }

    private static InetAddress externalAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) continue;
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) return address;
            }
        }
        return null;
    }
}
