package io.isotherm.db.page;

import io.isotherm.db.site.Site;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one place that knows what a page URL may be and when two spellings are the same page. A URL is normalized
 * as RFC 3986 section 6.2.2 describes (scheme and host in lower case, percent-encoding in upper-case hex,
 * unreserved characters decoded and nothing else, dot segments removed), the default port and the fragment are
 * dropped, and characters a URI may not hold are percent-encoded as UTF-8 (RFC 3987 section 3.1), as browsers do.
 * The page key then drops the query unless the site names query parameters that identify a page, and a trailing
 * slash, so /pricing and /pricing/ are one page. A URL that a page cannot have is refused, the problem named.
 */
public final class PageUrl {
    /** Longer URLs are refused, before and after normalizing (an index entry of PostgreSQL must hold one). */
    public static final int MAX_LENGTH = 2048;

    private static final String HEX = "0123456789ABCDEF";
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?\\.?");
    private static final Pattern IPV6_LITERAL = Pattern.compile("\\[[0-9a-f:.]+]");
    private static final Pattern PORT = Pattern.compile("[0-9]{0,5}");
    private static final String HOST_PROBLEM = "must have a host name of ASCII letters, digits, '-' and '.' (punycode for international names) or an IP address";
    /** RFC 3986 unreserved: the only characters whose percent-encoding is decoded. */
    private static final boolean[] UNRESERVED = ascii("-._~");
    /** pchar and "/": what a path may hold unencoded. */
    private static final boolean[] PATH = ascii("-._~" + "!$&'()*+,;=" + ":@" + "/");
    /** pchar, "/" and "?": what a query may hold unencoded. */
    private static final boolean[] QUERY = ascii("-._~" + "!$&'()*+,;=" + ":@" + "/?");

    private PageUrl() {
    }

    /** The parts of a normalized URL; {@code query} is null when there is none and still encoded as sent. */
    private record Parts(String origin, String path, String query) {
    }

    /**
     * The page key of this URL on the site: normalized with the site's kept query parameters.
     *
     * @throws IllegalArgumentException naming the problem when no page can have this URL
     */
    public static String of(Site site, String url) {
        return normalize(url, site.pageQueryParams());
    }

    /** @throws IllegalArgumentException naming the problem when no page can have this URL */
    public static String normalize(String url, List<String> keptQueryParams) {
        Parts parts = split(url);
        String path = parts.path();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String query = parts.query() == null || keptQueryParams.isEmpty() ? "" : keptQuery(normalizeEncoding(parts.query(), QUERY), keptQueryParams);
        return bounded(parts.origin() + path + query);
    }

    /**
     * The URL in normal form with its whole query and without its fragment: what a capture loads.
     *
     * @throws IllegalArgumentException naming the problem when no page can have this URL
     */
    public static URI parse(String url) {
        Parts parts = split(url);
        String query = parts.query() == null ? "" : "?" + normalizeEncoding(parts.query(), QUERY);
        try {
            return new URI(bounded(parts.origin() + parts.path() + query));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("a normalized URL did not parse: " + e.getMessage(), e);
        }
    }

    private static Parts split(String url) {
        if (url.length() > MAX_LENGTH) {
            throw problem("must be at most " + MAX_LENGTH + " characters");
        }
        checkCharacters(url);
        int colon = url.indexOf(':');
        String scheme = colon < 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || !url.startsWith("//", colon + 1)) {
            throw problem("must be an absolute http(s) URL");
        }
        int authorityStart = colon + 3;
        int authorityEnd = indexOfAny(url, "/?#", authorityStart);
        String origin = scheme + "://" + authority(scheme, url.substring(authorityStart, authorityEnd));
        int queryStart = indexOfAny(url, "?#", authorityEnd);
        int fragmentStart = indexOfAny(url, "#", queryStart);
        String path = removeDotSegments(normalizeEncoding(url.substring(authorityEnd, queryStart), PATH));
        String query = queryStart < fragmentStart && url.charAt(queryStart) == '?' ? url.substring(queryStart + 1, fragmentStart) : null;
        return new Parts(origin, path.isEmpty() ? "/" : path, query);
    }

    /** Lone surrogates cannot be encoded in a URL at all; control characters are never part of one a browser sends. */
    private static void checkCharacters(String url) {
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < url.length() && Character.isLowSurrogate(url.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw problem("must be valid Unicode (it holds a lone surrogate)");
            } else if (c <= 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
                throw problem("must not contain spaces or control characters");
            }
        }
    }

    /** {@code host[:port]} in lower case, without a default or empty port; user info is refused, never echoed. */
    private static String authority(String scheme, String authority) {
        if (authority.indexOf('@') >= 0) {
            throw problem("must not contain a user name or password");
        }
        int portColon = authority.startsWith("[") ? authority.indexOf(':', authority.indexOf(']') + 1) : authority.lastIndexOf(':');
        String host = (portColon < 0 ? authority : authority.substring(0, portColon)).toLowerCase(Locale.ROOT);
        String port = portColon < 0 ? "" : authority.substring(portColon + 1);
        if (!(IPV6_LITERAL.matcher(host).matches() || HOST_NAME.matcher(host).matches())) {
            throw problem(HOST_PROBLEM);
        }
        if (!PORT.matcher(port).matches() || (!port.isEmpty() && Integer.parseInt(port) > 65535)) {
            throw problem("must have a port from 0 to 65535");
        }
        int number = port.isEmpty() ? -1 : Integer.parseInt(port);
        boolean defaultPort = number == -1 || (scheme.equals("http") && number == 80) || (scheme.equals("https") && number == 443);
        String normalized = defaultPort ? host : host + ":" + number;
        if (!javaParsesHost(scheme + "://" + normalized + "/")) { // e.g. "a..b": refused here, not found null later
            throw problem(HOST_PROBLEM);
        }
        return normalized;
    }

    private static boolean javaParsesHost(String origin) {
        try {
            return new URI(origin).getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * RFC 3986 section 6.2.2.2: percent-encoding in upper-case hex, unreserved characters decoded, nothing else
     * decoded. What the component may not hold (non-ASCII, space-like ASCII, a '%' that starts no triplet) is
     * percent-encoded as UTF-8. Percent-encoded bytes must be UTF-8.
     */
    private static String normalizeEncoding(String component, boolean[] allowed) {
        StringBuilder out = new StringBuilder(component.length());
        int i = 0;
        while (i < component.length()) {
            char c = component.charAt(i);
            if (c == '%' && isTriplet(component, i)) {
                int end = i;
                while (isTriplet(component, end)) {
                    end += 3;
                }
                appendTriplets(out, component.substring(i, end));
                i = end;
            } else if (c < 0x80 && c != '%' && allowed[c]) {
                out.append(c);
                i++;
            } else {
                int codePoint = component.codePointAt(i);
                percentEncode(out, new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint);
            }
        }
        return out.toString();
    }

    /** A run of %XX triplets: checked to be UTF-8, unreserved ones decoded, the rest in upper case. */
    private static void appendTriplets(StringBuilder out, String run) {
        byte[] bytes = new byte[run.length() / 3];
        for (int b = 0; b < bytes.length; b++) {
            bytes[b] = (byte) Integer.parseInt(run.substring(b * 3 + 1, b * 3 + 3), 16);
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw problem("must be UTF-8 where percent-encoded (" + run + " is not)");
        }
        for (byte b : bytes) {
            if (b >= 0 && UNRESERVED[b]) {
                out.append((char) b);
            } else {
                percentEncode(out, new byte[]{b});
            }
        }
    }

    private static void percentEncode(StringBuilder out, byte[] bytes) {
        for (byte b : bytes) {
            out.append('%').append(HEX.charAt((b >> 4) & 0xf)).append(HEX.charAt(b & 0xf));
        }
    }

    private static boolean isTriplet(String s, int i) {
        return i + 2 < s.length() && s.charAt(i) == '%' && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0
                && s.charAt(i + 1) < 0x80 && s.charAt(i + 2) < 0x80;
    }

    /** RFC 3986 section 5.2.4, for the path of a URL with an authority (empty or starting with "/"). */
    static String removeDotSegments(String path) {
        StringBuilder in = new StringBuilder(path);
        StringBuilder out = new StringBuilder(path.length());
        while (!in.isEmpty()) {
            if (startsWith(in, "../")) {
                in.delete(0, 3);
            } else if (startsWith(in, "./")) {
                in.delete(0, 2);
            } else if (startsWith(in, "/./")) {
                in.delete(0, 2);
            } else if (equals(in, "/.")) {
                in.replace(0, 2, "/");
            } else if (startsWith(in, "/../")) {
                in.delete(0, 3);
                out.setLength(Math.max(0, out.lastIndexOf("/")));
            } else if (equals(in, "/..")) {
                in.replace(0, 3, "/");
                out.setLength(Math.max(0, out.lastIndexOf("/")));
            } else if (equals(in, ".") || equals(in, "..")) {
                in.setLength(0);
            } else {
                int next = in.indexOf("/", in.charAt(0) == '/' ? 1 : 0);
                int end = next < 0 ? in.length() : next;
                out.append(in, 0, end);
                in.delete(0, end);
            }
        }
        return out.toString();
    }

    private static String keptQuery(String query, List<String> keptQueryParams) {
        List<String> kept = new ArrayList<>();
        for (String pair : query.split("&")) {
            String name = pair.split("=", 2)[0];
            if (keptQueryParams.contains(name)) {
                kept.add(pair);
            }
        }
        kept.sort(null); // ?a=1&b=2 and ?b=2&a=1 are the same page
        return kept.isEmpty() ? "" : "?" + String.join("&", kept);
    }

    private static String bounded(String normalized) {
        if (normalized.length() > MAX_LENGTH) {
            throw problem("must be at most " + MAX_LENGTH + " characters once percent-encoded");
        }
        return normalized;
    }

    private static int indexOfAny(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }

    private static boolean startsWith(StringBuilder s, String prefix) {
        return s.length() >= prefix.length() && s.substring(0, prefix.length()).equals(prefix);
    }

    private static boolean equals(StringBuilder s, String text) {
        return s.length() == text.length() && s.toString().equals(text);
    }

    private static boolean[] ascii(String punctuation) {
        boolean[] allowed = new boolean[128];
        for (char c = 'a'; c <= 'z'; c++) allowed[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) allowed[c] = true;
        for (char c = '0'; c <= '9'; c++) allowed[c] = true;
        for (char c : punctuation.toCharArray()) allowed[c] = true;
        return allowed;
    }

    private static IllegalArgumentException problem(String message) {
        return new IllegalArgumentException(message);
    }
}
