package io.isotherm.capture;

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

    /** Globally reachable unicast: in none of the {@link SpecialAddresses} blocks, nor carrying an address that is. */
    static boolean isPublic(InetAddress address) {
        return SpecialAddresses.of(address) == null;
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
