package io.isotherm.db.site;

import java.util.regex.Pattern;

/**
 * A site's excluded paths: {@code /admin} matches that path only, {@code /admin/*} every path below it (and
 * {@code /admin} itself), {@code *} inside a segment any characters but {@code /} ({@code /checkout/*}/{@code /cart-*}).
 */
public final class PathPatterns {
    private static final Pattern VALID = Pattern.compile("/[A-Za-z0-9._~!$&'()+,;=:@%/*-]*");

    private PathPatterns() {
    }

    /** The pattern trimmed, or an IllegalArgumentException saying what a pattern looks like. */
    public static String normalize(String pattern) {
        String trimmed = pattern.trim();
        if (trimmed.length() > 200 || !VALID.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("a path pattern starts with / and may use * (like /admin/*), got '" + pattern + "'");
        }
        return trimmed;
    }

    public static boolean matches(String pattern, String path) {
        if (pattern.endsWith("/*") && (path.equals(pattern.substring(0, pattern.length() - 2))
                || glob(pattern.substring(0, pattern.length() - 1) + "**", path))) {
            return true;
        }
        return glob(pattern, path);
    }

    /** {@code **} spans slashes, {@code *} does not. */
    private static boolean glob(String pattern, String path) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                boolean deep = i + 1 < pattern.length() && pattern.charAt(i + 1) == '*';
                regex.append(deep ? ".*" : "[^/]*");
                if (deep) i++;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.matches(regex.toString(), path);
    }
}
