package io.isotherm.capture;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static io.isotherm.capture.CaptureFailure.Reason.LOAD_FAILED;
import static io.isotherm.capture.CaptureFailure.Reason.URL_REFUSED;

/**
 * Keeps the capturer from being an SSRF gateway: the page and every main-frame navigation stay on the site's own
 * origins, and nothing the browser fetches may reach a loopback, private or link-local address unless the operator
 * allowed private addresses. Hosts are resolved here, so a public name pointing at 127.0.0.1 is refused too.
 */
public final class UrlGuard {

    private final Set<String> allowedOrigins;
    private final Predicate<InetAddress> reachable;
    private final boolean anyAddress;
    private final ConcurrentHashMap<String, Boolean> resolved = new ConcurrentHashMap<>();

    public UrlGuard(List<String> allowedOrigins, boolean allowPrivateAddresses) {
        this(allowedOrigins, allowPrivateAddresses ? address -> true : UrlGuard::isPublic, allowPrivateAddresses);
    }

    /** For tests that need one private address refused while the fixture server's loopback address is allowed. */
    UrlGuard(List<String> allowedOrigins, Predicate<InetAddress> reachable) {
        this(allowedOrigins, reachable, false);
    }

    private UrlGuard(List<String> allowedOrigins, Predicate<InetAddress> reachable, boolean anyAddress) {
        this.allowedOrigins = allowedOrigins.stream().map(UrlGuard::normalOrigin).collect(Collectors.toUnmodifiableSet());
        this.reachable = reachable;
        this.anyAddress = anyAddress;
    }

    /** Why a URL may not be the page, or a hop of the main frame's navigation: a clause and advice. */
    record Problem(CaptureFailure.Reason reason, String clause, String advice) {
    }

    /** The page itself: http(s), on an allowed origin, on reachable addresses. */
    public void checkPage(URI url) throws CaptureFailure {
        Problem problem = pageProblem(url);
        if (problem != null) {
            throw new CaptureFailure(problem.reason(), url + " " + problem.clause() + ". " + problem.advice());
        }
    }

    /** Null when the page, or a hop of its navigation, may go to this URL. */
    Problem pageProblem(URI url) {
        if (!isHttp(url) || url.getHost() == null) {
            return new Problem(URL_REFUSED, "is not an http or https address", "Capture a page of the site by its web address.");
        }
        String origin = origin(url);
        if (!allowedOrigins.contains(origin)) {
            return new Problem(URL_REFUSED, "is not on the site's origins (" + String.join(", ",
                    allowedOrigins.stream().sorted().toList()) + ")", "Capture a page of the site, or add " + origin
                    + " to the site's origins if it belongs to the site.");
        }
        if (anyAddress) return null; // the browser reports hosts that do not resolve
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host(url));
        } catch (UnknownHostException e) {
            return new Problem(LOAD_FAILED, "has a host name that could not be resolved",
                    "Check that the URL opens from the server running Isotherm.");
        }
        for (InetAddress address : addresses) {
            if (!reachable.test(address)) {
                return new Problem(URL_REFUSED, "resolves to the private or loopback address "
                        + address.getHostAddress() + ", which captures may not reach", "Set "
                        + "ISOTHERM_CAPTURE_ALLOW_PRIVATE=true only if this Isotherm is meant to capture an internal site.");
            }
        }
        return null;
    }

    /** Subresources and frames: any http(s) origin whose addresses are all reachable, data: and blob:. */
    public boolean allowsResource(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("data") || scheme.equals("blob")) return true;
        if (!isHttp(url) || url.getHost() == null) return false;
        if (anyAddress) return true;
        return resolved.computeIfAbsent(host(url), this::allReachable);
    }

    private boolean allReachable(String host) {
        try {
            return Arrays.stream(InetAddress.getAllByName(host)).allMatch(reachable);
        } catch (UnknownHostException e) {
            return false; // the browser would fail it anyway, and a second lookup might answer differently
        }
    }

    /**
     * Public unicast: not loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), carrier-grade NAT
     * (100.64/10), link-local (169.254/16 with the cloud metadata service, fe80::/10), 0.0.0.0/8, any-local or
     * multicast. IPv6 addresses that embed an IPv4 one are judged by it.
     */
    static boolean isPublic(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            InetAddress embedded = embeddedIpv4(b);
            if (embedded != null) return isPublic(embedded);
            if ((b[0] & 0xfe) == 0xfc) return false; // unique local fc00::/7
        }
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        if (address instanceof Inet4Address) {
            byte[] b = address.getAddress();
            int first = b[0] & 0xff, second = b[1] & 0xff;
            if (first == 0 || first == 255) return false;                  // "this network", broadcast
            if (first == 100 && (second & 0xc0) == 64) return false;       // 100.64.0.0/10
        }
        return true;
    }

    /** The IPv4 address inside ::a.b.c.d, ::ffff:a.b.c.d (Java unwraps this one itself) or 64:ff9b::a.b.c.d. */
    private static InetAddress embeddedIpv4(byte[] b) {
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) zeroPrefix &= b[i] == 0;
        boolean compatible = zeroPrefix && ((b[10] == 0 && b[11] == 0) || (b[10] == -1 && b[11] == -1));
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b;
        for (int i = 4; i < 12 && nat64; i++) nat64 = b[i] == 0;
        if (!compatible && !nat64) return null;
        if (compatible && b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1)) return null; // :: and ::1
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes always make an address
        }
    }

    static boolean isHttp(URI url) {
        String scheme = url.getScheme();
        return scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"));
    }

    /** scheme://host[:port] in lower case, the default port left out, as the site's origins are written. */
    static String origin(URI url) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        int port = url.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + url.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static String normalOrigin(String origin) {
        String trimmed = origin.strip();
        while (trimmed.endsWith("/")) trimmed = trimmed.substring(0, trimmed.length() - 1);
        URI uri = URI.create(trimmed);
        return isHttp(uri) && uri.getHost() != null ? origin(uri) : trimmed.toLowerCase(Locale.ROOT);
    }

    /** The host without the brackets of an IPv6 literal. */
    private static String host(URI url) {
        String host = url.getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }
}
