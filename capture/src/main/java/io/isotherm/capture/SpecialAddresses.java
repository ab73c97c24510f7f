package io.isotherm.capture;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The address blocks of IANA's special-purpose registries (IPv4 and IPv6) that are not globally reachable, plus
 * private, loopback, link-local and multicast space: a capture may not reach any of them unless the operator allows
 * private addresses. IPv6 addresses that carry an IPv4 one (IPv4-mapped and -compatible, NAT64, 6to4) are judged by
 * that IPv4 address, since that is where the packets end up; Teredo (2001::/32, inside 2001::/23) is refused whole.
 */
final class SpecialAddresses {
    /** A block of addresses: its name (for tests and messages) and its prefix. */
    record Block(String name, byte[] prefix, int bits) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) return false;
            int whole = bits / 8, rest = bits % 8;
            for (int i = 0; i < whole; i++) if (address[i] != prefix[i]) return false;
            if (rest == 0) return true;
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[whole] & mask) == (prefix[whole] & mask);
        }
    }

    static final List<Block> BLOCKS = List.of(
            block("this network", "0.0.0.0/8"),
            block("private", "10.0.0.0/8"),
            block("shared address space (carrier-grade NAT)", "100.64.0.0/10"),
            block("loopback", "127.0.0.0/8"),
            block("link local", "169.254.0.0/16"),
            block("private", "172.16.0.0/12"),
            block("IETF protocol assignments", "192.0.0.0/24"),
            block("documentation (TEST-NET-1)", "192.0.2.0/24"),
            block("6to4 relay anycast (deprecated)", "192.88.99.0/24"),
            block("private", "192.168.0.0/16"),
            block("benchmarking", "198.18.0.0/15"),
            block("documentation (TEST-NET-2)", "198.51.100.0/24"),
            block("documentation (TEST-NET-3)", "203.0.113.0/24"),
            block("multicast", "224.0.0.0/4"),
            block("reserved", "240.0.0.0/4"), // includes the limited broadcast 255.255.255.255
            block("unspecified", "::/128"),
            block("loopback", "::1/128"),
            block("local-use IPv4/IPv6 translation", "64:ff9b:1::/48"),
            block("discard-only", "100::/64"),
            block("IETF protocol assignments (benchmarking, ORCHID, …)", "2001::/23"),
            block("documentation", "2001:db8::/32"),
            block("documentation", "3fff::/20"),
            block("segment routing (SRv6) SIDs", "5f00::/16"),
            block("unique local", "fc00::/7"),
            block("link local", "fe80::/10"),
            block("site local (deprecated)", "fec0::/10"),
            block("multicast", "ff00::/8"));

    private SpecialAddresses() {
    }

    /** The block {@code address} is in, or null for a globally reachable unicast address. */
    static Block of(InetAddress address) {
        byte[] bytes = address.getAddress();
        InetAddress carried = carriedIpv4(bytes);
        if (carried != null) return of(carried);
        for (Block block : BLOCKS) if (block.contains(bytes)) return block;
        return null;
    }

    /**
     * The IPv4 address an IPv6 one carries: ::a.b.c.d and ::ffff:a.b.c.d (not :: and ::1), NAT64 64:ff9b::a.b.c.d,
     * and 6to4 2002:aabb:ccdd::.
     */
    static InetAddress carriedIpv4(byte[] b) {
        if (b.length != 16) return null;
        if (startsWith(b, 10, (byte) 0) && ((b[10] == 0 && b[11] == 0) || (b[10] == -1 && b[11] == -1))) {
            boolean unspecifiedOrLoopback = b[10] == 0 && b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1);
            return unspecifiedOrLoopback ? null : ipv4(b[12], b[13], b[14], b[15]);
        }
        if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && zero(b, 4, 12)) {
            return ipv4(b[12], b[13], b[14], b[15]);
        }
        if (b[0] == 0x20 && b[1] == 0x02) return ipv4(b[2], b[3], b[4], b[5]);
        return null;
    }

    private static boolean startsWith(byte[] b, int n, byte value) {
        for (int i = 0; i < n; i++) if (b[i] != value) return false;
        return true;
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] != 0) return false;
        return true;
    }

    private static InetAddress ipv4(byte a, byte b, byte c, byte d) {
        try {
            return InetAddress.getByAddress(new byte[]{a, b, c, d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes always make an address
        }
    }

    private static Block block(String name, String cidr) {
        String[] parts = cidr.split("/");
        try {
            return new Block(name, InetAddress.getByName(parts[0]).getAddress(), Integer.parseInt(parts[1]));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // literals only: no lookup
        }
    }
}
