package io.isotherm.collector;

import io.javalin.http.Context;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Who sent a request, as far as the rate limits care: the client's IPv4 address, or the /64 network of an IPv6
 * one (a single home or phone is usually given a whole /64, so counting single IPv6 addresses would count nothing).
 * Held in memory only, as a key of the limits' buckets: never stored and never logged.
 */
final class ClientAddress {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?");

    private final String header;

    /** @param header a proxy's header holding the client's address (its last entry counts), or null for the connection's */
    ClientAddress(String header) {
        this.header = header;
    }

    /** The request's client key; the connection's address when the header is missing or holds no address. */
    String of(Context ctx) {
        if (header != null) {
            String value = ctx.header(header);
            if (value != null) {
                String key = key(lastEntry(value));
                if (key != null) {
                    return key;
                }
            }
        }
        String key = key(ctx.ip());
        return key == null ? ctx.ip() : key;
    }

    /** A proxy appends the address it saw: entries before it may be whatever the client wrote. */
    private static String lastEntry(String value) {
        int comma = value.lastIndexOf(',');
        return value.substring(comma + 1).trim();
    }

    /** The key of an address literal, or null if it is not one. Never resolves a name: only literals get parsed. */
    static String key(String address) {
        if (address == null || address.isEmpty()) {
            return null;
        }
        if (IPV4.matcher(address).matches()) {
            return address;
        }
        if (!IPV6.matcher(address).matches()) {
            return null;
        }
        try {
            InetAddress parsed = InetAddress.getByName(address.startsWith("[") ? address : "[" + address + "]");
            byte[] bytes = parsed.getAddress();
            if (parsed instanceof Inet6Address) {
                return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
            }
            return parsed.getHostAddress(); // an IPv4-mapped IPv6 address comes back as IPv4
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
