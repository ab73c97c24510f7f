package io.isotherm.dashboard.access;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Against DNS rebinding: a page on an attacker's domain that re-points its name at this server would send its own
 * host name, so the dashboard answers only names it knows: localhost, the public URL's host, the configured
 * dashboard hosts, and the literal addresses of this machine (an address literal cannot be rebound).
 */
final class HostCheck {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");

    private final Set<String> names = new HashSet<>();
    private final Set<InetAddress> ownAddresses;

    HostCheck(URI publicUrl, List<String> dashboardHosts) {
        names.add("localhost");
        if (publicUrl != null && publicUrl.getHost() != null) names.add(publicUrl.getHost().toLowerCase(Locale.ROOT));
        for (String host : dashboardHosts) names.add(host.trim().toLowerCase(Locale.ROOT));
        ownAddresses = machineAddresses();
    }

    /** True when a request with this {@code Host} header may be answered. */
    boolean allows(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) return false;
        String host = hostOf(hostHeader.trim().toLowerCase(Locale.ROOT));
        if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        if (names.contains(host) || host.endsWith(".localhost")) return true;
        InetAddress literal = literal(host);
        return literal != null && ownAddresses.contains(literal);
    }

    /** An address literal as an address; null for a name (never resolved: that would ask the DNS). */
    private static InetAddress literal(String host) {
        if (!IPV4.matcher(host).matches() && !(host.contains(":") && IPV6.matcher(host).matches())) return null;
        try {
            return InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** {@code name:port} → name; {@code [v6]:port} → v6. */
    private static String hostOf(String header) {
        if (header.startsWith("[")) {
            int end = header.indexOf(']');
            return end < 0 ? header : header.substring(1, end);
        }
        int colon = header.lastIndexOf(':');
        return colon < 0 || header.indexOf(':') != colon ? header : header.substring(0, colon);
    }

    private static Set<InetAddress> machineAddresses() {
        Set<InetAddress> addresses = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    // Compare without the IPv6 scope, which a Host header does not carry.
                    addresses.add(InetAddress.getByAddress(address.getAddress()));
                }
            }
            addresses.add(InetAddress.getByName("127.0.0.1"));
            addresses.add(InetAddress.getByName("::1"));
        } catch (java.io.IOException e) {
            // No interfaces readable: the configured names still work.
        }
        return addresses;
    }
}
