package io.isotherm.dashboard.groups;

import io.isotherm.dashboard.ApiError;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * A page group's pattern, matched against the path of a page's URL (docs/API.md, "Page groups"). It starts with
 * {@code /}; its segments are separated by {@code /}. In a segment, {@code *} matches one or more characters other than
 * {@code /}, except when it ends the pattern: there it matches one or more characters of any kind, so
 * {@code /product/*} holds {@code /product/shoe} and {@code /product/shoe/red} but not {@code /product/}. A whole segment
 * {@code :name} matches one segment (one or more characters other than {@code /}). Everything else matches itself,
 * case-sensitively. The path is compared decoded and without its query; a trailing {@code /} (but the root's) is
 * ignored, on the path as on the pattern.
 */
public final class PathPattern {
    public static final int MAX_LENGTH = 200;
    private static final Pattern NAMED = Pattern.compile(":[A-Za-z_][A-Za-z0-9_]*");

    private final String text;
    private final Pattern regex;

    private PathPattern(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    /** @throws ApiError 400 naming {@code field} when the text is not a pattern */
    public static PathPattern parse(String text, String field) {
        if (text == null || text.isBlank()) throw ApiError.badParameter(field, field + " is required: a path like /product/*");
        String pattern = text.trim();
        if (pattern.length() > MAX_LENGTH) throw ApiError.badParameter(field, field + " must be at most " + MAX_LENGTH + " characters");
        if (!pattern.startsWith("/")) throw ApiError.badParameter(field, field + " must start with /, like /product/*");
        if (!pattern.chars().allMatch(c -> c > 0x20 && c != 0x7f && c != '?' && c != '#')) {
            throw ApiError.badParameter(field, field + " is a path: no spaces, ? or #");
        }
        if (pattern.contains("**")) throw ApiError.badParameter(field, field + " must not hold ** (one * matches the rest of the path)");
        String trimmed = withoutTrailingSlash(pattern);
        StringBuilder regex = new StringBuilder();
        String[] segments = trimmed.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.isEmpty() && !trimmed.equals("/")) throw ApiError.badParameter(field, field + " must not hold an empty segment (//)");
            regex.append('/');
            if (segment.startsWith(":")) {
                if (!NAMED.matcher(segment).matches()) {
                    throw ApiError.badParameter(field, field + ": a named segment is a whole segment like :slug (letters, digits, _)");
                }
                regex.append("[^/]+");
                continue;
            }
            if (segment.contains(":")) throw ApiError.badParameter(field, field + ": a named segment is a whole segment like :slug");
            boolean last = i == segments.length - 1;
            String[] literals = segment.split("\\*", -1);
            for (int k = 0; k < literals.length; k++) {
                if (k > 0) regex.append(last && k == literals.length - 1 && literals[k].isEmpty() ? ".+" : "[^/]+");
                if (!literals[k].isEmpty()) regex.append(Pattern.quote(literals[k]));
            }
        }
        return new PathPattern(pattern, Pattern.compile(trimmed.equals("/") ? "/" : regex.toString()));
    }

    public String text() {
        return text;
    }

    /** Whether the page of this URL (absolute, as the collector stores it) is in the group. */
    public boolean matchesUrl(String url) {
        String path;
        try {
            path = URI.create(url).getPath();
        } catch (IllegalArgumentException e) {
            return false;
        }
        return path != null && matchesPath(path.isEmpty() ? "/" : path);
    }

    public boolean matchesPath(String path) {
        return regex.matcher(withoutTrailingSlash(path)).matches();
    }

    private static String withoutTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
