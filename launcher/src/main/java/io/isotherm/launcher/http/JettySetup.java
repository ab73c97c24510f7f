package io.isotherm.launcher.http;

import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The one place the platform's Jetty is set up: its connector (address, idle timeout, header size), the limits on
 * connections in all and per client address, the body guard in front of every route, and JSON for the errors Jetty
 * answers itself. Javalin builds the rest.
 */
public final class JettySetup {
    private JettySetup() {
    }

    public static void apply(JavalinConfig config, String host, int port, HttpLimits limits) {
        config.jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(limits.maxHeaderBytes());
            http.setSendServerVersion(false);
        });
        config.jetty.modifyServer(server -> {
            // Javalin puts its servlet context inside this wrapper: every request passes the guard first.
            server.setHandler(new BodyGuard(limits));
            server.setErrorHandler(new JsonErrorHandler(limits));
        });
        config.jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(limits.idleTimeout().toMillis());
            if (limits.maxConnectionsPerAddress() > 0) {
                connector.addBean(new ConnectionsPerAddress(limits.maxConnectionsPerAddress()));
            }
            // At the limit Jetty stops accepting; new clients wait in the kernel's backlog until a connection closes.
            server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
            return connector;
        });
    }
}
