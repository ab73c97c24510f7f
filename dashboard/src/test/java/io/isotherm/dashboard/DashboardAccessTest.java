package io.isotherm.dashboard;

import io.isotherm.dashboard.access.AccessMode;
import io.isotherm.dashboard.access.AccessSettings;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.grid.GridGeometry;
import io.isotherm.testing.TestServer;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Until there are accounts, the dashboard answers this machine only, unless the operator opens it. */
class DashboardAccessTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Database db;

    @BeforeAll
    static void open() {
        db = TestPostgres.open();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void answers_loopback_and_refuses_other_addresses_unless_open() throws Exception {
        InetAddress external = externalAddress();
        assumeTrue(external != null, "this machine has no non-loopback IPv4 address to test from");
        try (var local = serve(false); var open = serve(true)) {
            assertThat(status(local, "127.0.0.1", "/api/sites")).isEqualTo(200);
            assertThat(status(local, "127.0.0.1", "/")).isEqualTo(200);

            HttpResponse<String> refused = get(local, external.getHostAddress(), "/api/sites");
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("ISOTHERM_DASHBOARD_ACCESS");
            for (String path : new String[]{"/", "/view?site=x", "/ui/style.css", "/api/sites/x/pages", "/api/sites/x/captures/1/tiles/0"}) {
                assertThat(status(local, external.getHostAddress(), path)).as(path).isEqualTo(403);
            }
            assertThat(status(open, external.getHostAddress(), "/api/sites")).isEqualTo(200);
        }
    }

    private record Server(Javalin app, Dashboard dashboard) implements AutoCloseable {
        @Override
        public void close() {
            app.stop();
            dashboard.close();
        }
    }

    private static Server serve(boolean openAccess) {
        DashboardSettings defaults = DashboardSettings.defaults();
        Dashboard dashboard = new Dashboard(db.jdbi(), GridGeometry.defaults(),
                new DashboardSettings(defaults.capture(), false, false, defaults.uploadMaxBytes(),
                        AccessSettings.mode(openAccess ? AccessMode.OPEN : AccessMode.LOCAL), defaults.deviceWidths(), defaults.retentionDays()));
        Javalin app = TestServer.start("0.0.0.0", dashboard::routes);
        return new Server(app, dashboard);
    }

    private static int status(Server server, String host, String path) throws Exception {
        return get(server, host, path).statusCode();
    }

    private static HttpResponse<String> get(Server server, String host, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + server.app().port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
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
