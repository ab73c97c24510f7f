package io.isotherm.collector;

import io.isotherm.db.segment.SegmentFilter;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The utm values of a landing URL's query string; every other parameter is ignored and never kept. The values come
 * from whoever wrote the link, so they are cleaned rather than refused (refusing would drop the visitor's events):
 * control characters removed, blanks trimmed, cut to {@link SegmentFilter#MAX_VALUE_LENGTH} characters; a value
 * left empty is absent (null).
 */
record Campaign(String source, String medium, String campaign) {
    static final Campaign NONE = new Campaign(null, null, null);

    /** @param query {@code location.search} as the tracker sends it ({@code ?a=1&b=2}, or empty); null: none */
    static Campaign fromQuery(String query) {
        if (query == null || query.isEmpty()) return NONE;
        String source = null, medium = null, campaign = null;
        for (String pair : query.substring(query.startsWith("?") ? 1 : 0).split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) continue;
            String value = pair.substring(eq + 1);
            // The first of a repeated parameter wins, as URLSearchParams.get answers.
            switch (decode(pair.substring(0, eq))) {
                case "utm_source" -> source = source != null ? source : clean(value);
                case "utm_medium" -> medium = medium != null ? medium : clean(value);
                case "utm_campaign" -> campaign = campaign != null ? campaign : clean(value);
                default -> { }
            }
        }
        return new Campaign(source, medium, campaign);
    }

    /** A value as readable text of at most {@link SegmentFilter#MAX_VALUE_LENGTH} characters, or null when none is left. */
    static String clean(String raw) {
        String text = decode(raw);
        var kept = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                kept.append(c).append(text.charAt(++i));
            } else if (!Character.isISOControl(c) && !Character.isSurrogate(c)) { // a lone surrogate is no text
                kept.append(c);
            }
        }
        String trimmed = kept.toString().strip();
        if (trimmed.length() > SegmentFilter.MAX_VALUE_LENGTH) {
            int end = SegmentFilter.MAX_VALUE_LENGTH;
            if (Character.isHighSurrogate(trimmed.charAt(end - 1))) end--; // never half a character
            trimmed = trimmed.substring(0, end).strip();
        }
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** Percent-decoding with '+' as a space; a broken escape is kept as written rather than losing the value. */
    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
