package io.isotherm.launcher.http;

import java.time.Duration;

/**
 * What one client may take from the HTTP server, so slow or oversized requests cannot stop it for everyone else.
 * The launcher fills them from environment variables (see the README's configuration table).
 *
 * @param maxConnections           open connections in all; beyond it the server stops accepting until one closes
 * @param maxConnectionsPerAddress open connections from one client address (held in memory only); a further one is
 *                                 closed at once. 0 turns the limit off, as behind a proxy every client has its address
 * @param minBodyBytesPerSecond    a request body must arrive at least this fast on average (checked once
 *                                 {@link BodyGuard#RATE_GRACE} has passed); else 408. 0 turns the check off
 * @param bodyDeadline             a request body must have arrived whole within this time; else 408
 * @param maxHeaderBytes           the request line and headers together; beyond it 431 (414 for a long URI)
 * @param idleTimeout              a connection with nothing to read or write for this long is closed
 */
public record HttpLimits(int maxConnections, int maxConnectionsPerAddress, int minBodyBytesPerSecond, Duration bodyDeadline,
                         int maxHeaderBytes, Duration idleTimeout) {

    public static HttpLimits defaults() {
        return new HttpLimits(4000, 100, 1024, Duration.ofSeconds(30), 8 * 1024, Duration.ofSeconds(30));
    }

    public HttpLimits {
        if (maxConnections < 1 || maxConnectionsPerAddress < 0 || minBodyBytesPerSecond < 0 || bodyDeadline.toMillis() < 1000
                || maxHeaderBytes < 1024 || idleTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("HTTP limits out of range: connections >= 1, per address >= 0 (0: off), "
                    + "body rate >= 0 (0: off), body deadline >= 1 s, header bytes >= 1024, idle timeout >= 1 s");
        }
    }
}
