package io.isotherm.launcher.http;

import org.eclipse.jetty.io.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes a new connection at once when its client address already holds the maximum. The counts live in memory
 * only, per address, and an address is forgotten when its last connection closes.
 */
final class ConnectionsPerAddress implements Connection.Listener {
    private static final Logger log = LoggerFactory.getLogger(ConnectionsPerAddress.class);

    private final int max;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    /** Each connection's address, noted when it opens: a closed socket no longer knows it. */
    private final ConcurrentHashMap<Connection, InetAddress> addresses = new ConcurrentHashMap<>();

    ConnectionsPerAddress(int max) {
        this.max = max;
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress address = address(connection);
        if (address == null) return;
        addresses.put(connection, address);
        int count = open.merge(address, 1, Integer::sum);
        if (count > max) {
            log.debug("closing a connection from an address that holds {} already", max);
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress address = addresses.remove(connection);
        if (address == null) return;
        open.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
    }

    private static InetAddress address(Connection connection) {
        return connection.getEndPoint().getRemoteSocketAddress() instanceof InetSocketAddress socket ? socket.getAddress() : null;
    }
}
