package io.isotherm.collector;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.isotherm.db.site.Site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Finds whose batch it was when a batch is dropped before it is parsed (a bot's) or cannot be parsed (too large,
 * malformed, of the wrong content type), so that the installation check can count it for its site. Best effort and
 * cheap: finding no site only means the batch is not counted; the answer never depends on it.
 */
final class SiteHints {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] SITE_FIELD = "\"site\"".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_KEY_LENGTH = 64;

    private final SiteDirectory sites;

    SiteHints(SiteDirectory sites) {
        this.sites = sites;
    }

    /** The site named by the top-level {@code site} field of a whole JSON body (null body: none). */
    Site fromJson(byte[] body) {
        return body == null ? null : lookup(parseKey(body));
    }

    /** The site named by the first {@code "site":"KEY"} in bytes that may be cut off or not JSON at all. */
    Site fromBytes(byte[] bytes) {
        return bytes == null ? null : lookup(scanKey(bytes));
    }

    private Site lookup(String key) {
        if (key == null || !SiteDirectory.KEY_FORMAT.matcher(key).matches()) {
            return null;
        }
        try {
            return sites.find(key).orElse(null);
        } catch (RuntimeException e) {
            return null; // the database is away: this batch goes uncounted, its answer stays the same
        }
    }

    /** Streams through the top-level object until its {@code site} field; nested values are skipped, not built. */
    static String parseKey(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("site".equals(name)) {
                    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * A plain scan for {@code "site"}, optional blanks, {@code :}, optional blanks, and a quoted key of key
     * characters. Inside a JSON string those quotes would be escaped, so only a real field matches. The tracker
     * sends {@code site} first, so this stops within the first bytes.
     */
    static String scanKey(byte[] bytes) {
        for (int at = indexOf(bytes, SITE_FIELD, 0); at >= 0; at = indexOf(bytes, SITE_FIELD, at + 1)) {
            int i = skipBlanks(bytes, at + SITE_FIELD.length);
            if (i >= bytes.length || bytes[i] != ':') {
                continue;
            }
            i = skipBlanks(bytes, i + 1);
            if (i >= bytes.length || bytes[i] != '"') {
                continue;
            }
            int start = i + 1;
            int end = start;
            while (end < bytes.length && end - start <= MAX_KEY_LENGTH && isKeyByte(bytes[end])) {
                end++;
            }
            if (end < bytes.length && bytes[end] == '"' && end > start && end - start <= MAX_KEY_LENGTH) {
                return new String(bytes, start, end - start, StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    private static int indexOf(byte[] bytes, byte[] needle, int from) {
        outer:
        for (int i = from; i <= bytes.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int skipBlanks(byte[] bytes, int i) {
        while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r')) {
            i++;
        }
        return i;
    }

    /** The characters of {@link SiteDirectory#KEY_FORMAT}. */
    private static boolean isKeyByte(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' || b == '_';
    }
}
