package io.isotherm.db.site;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Origins as browsers send them: {@code scheme://host[:port]}, lower case, default ports left out.
 * A site may also allow every subdomain with {@code https://*.shop.example}.
 */
public final class Origins {
    private Origins() {
    }

    /** Canonical form of an origin given by an operator; rejects anything with a path, query or user info. */
    public static String normalize(String origin) {
        String trimmed = origin.trim();
        boolean wildcard = trimmed.contains("://*.");
        URI uri;
        try {
            uri = URI.create(wildcard ? trimmed.replace("://*.", "://wildcard.") : trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an origin: " + origin);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            throw new IllegalArgumentException("not an origin (expected scheme://host[:port]): " + origin);
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (wildcard) {
            host = "*." + host.substring("wildcard.".length());
        }
        return scheme + "://" + host + portSuffix(scheme, uri.getPort());
    }

    /** The origin of an absolute http(s) URL, or null when it has none. */
    public static String of(URI url) {
        if (url.getScheme() == null || url.getHost() == null) {
            return null;
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        return scheme + "://" + url.getHost().toLowerCase(Locale.ROOT) + portSuffix(scheme, url.getPort());
    }

    public static boolean allowed(List<String> allowedOrigins, String origin) {
        if (origin == null) {
            return false;
        }
        String candidate = origin.toLowerCase(Locale.ROOT);
        for (String allowed : allowedOrigins) {
            if (allowed.equals(candidate)) {
                return true;
            }
            int star = allowed.indexOf("://*.");
            if (star > 0) {
                String scheme = allowed.substring(0, star + 3);
                String suffix = allowed.substring(star + 4); // ".shop.example[:port]"
                if (candidate.startsWith(scheme) && candidate.endsWith(suffix)
                        && candidate.length() > scheme.length() + suffix.length()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String portSuffix(String scheme, int port) {
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return defaultPort ? "" : ":" + port;
    }
}
