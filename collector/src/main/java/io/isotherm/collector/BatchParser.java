package io.isotherm.collector;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a request body as a {@link CollectBatch}; a body that is not one is dropped as malformed or invalid. */
final class BatchParser {
    /**
     * Strict: unknown and repeated fields, trailing tokens, floats for ints, strings for numbers and numbers or
     * booleans for strings are errors.
     */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, text -> text
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    /** Jackson's message for a repeated key (StreamReadFeature.STRICT_DUPLICATE_DETECTION). */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

    private BatchParser() {
    }

    static CollectBatch parse(byte[] body) {
        if (notUtf8(body)) throw Drop.malformed("body must be JSON in UTF-8");
        CollectBatch batch;
        try {
            batch = JSON.readValue(body, CollectBatch.class);
        } catch (UnrecognizedPropertyException e) {
            throw Drop.invalid(path(e), "is not a known field");
        } catch (StreamConstraintsException e) {
            throw beyondLimits();
        } catch (JsonMappingException e) {
            if (Causes.find(e, StreamConstraintsException.class) != null) throw beyondLimits();
            // A whole number too large for its Java type: valid JSON, a value out of range.
            InputCoercionException outOfRange = Causes.find(e, InputCoercionException.class);
            if (outOfRange != null && !path(e).isEmpty()) throw Drop.invalid(path(e), "is out of range");
            // A syntax error inside a nested object arrives wrapped with that object's path: still malformed.
            StreamReadException syntax = Causes.find(e, StreamReadException.class);
            if (syntax != null) throw syntaxError(syntax, path(e));
            String field = path(e);
            if (field.isEmpty()) {
                throw Drop.malformed("body must be a JSON object");
            }
            throw Drop.invalid(field, "has the wrong type");
        } catch (StreamReadException e) {
            throw syntaxError(e, "");
        } catch (JacksonException e) {
            throw Drop.malformed("body is not valid JSON");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (batch == null) { // the body was the JSON literal null
            throw Drop.malformed("body must be a JSON object");
        }
        return batch;
    }

    private static Drop beyondLimits() {
        StreamReadConstraints limits = JSON.getFactory().streamReadConstraints();
        return Drop.malformed("body is not JSON the collector reads: numbers have at most %d digits and values nest at most %d deep"
                .formatted(limits.getMaxNumberLength(), limits.getMaxNestingDepth()));
    }

    /**
     * JSON between systems is UTF-8 (RFC 8259), and the parser would otherwise take UTF-16 and UTF-32 as well, by
     * their byte-order mark or their zero bytes. UTF-8 JSON has no zero byte at all (control characters in strings
     * are escaped); a UTF-8 byte-order mark is skipped, as the RFC allows.
     */
    private static boolean notUtf8(byte[] body) {
        if (body.length >= 2 && ((body[0] & 0xff) == 0xfe && (body[1] & 0xff) == 0xff || (body[0] & 0xff) == 0xff && (body[1] & 0xff) == 0xfe)) {
            return true;
        }
        for (int i = 0; i < Math.min(body.length, 4); i++) {
            if (body[i] == 0) return true;
        }
        return false;
    }

    /** A repeated key names its field (inside the object at {@code where}); any other syntax error is malformed JSON. */
    private static Drop syntaxError(StreamReadException e, String where) {
        Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        if (!duplicate.lookingAt()) return Drop.malformed("body is not valid JSON");
        return Drop.invalid(where.isEmpty() ? duplicate.group(1) : where + "." + duplicate.group(1), "appears more than once");
    }

    /** Jackson's path as {@code events[3].x}. */
    /** The path to a field, e.g. {@code events[2].x}; a name that is not a plain word is quoted: {@code [""]}. */
    private static String path(JsonMappingException e) {
        var path = new StringBuilder();
        for (var ref : e.getPath()) {
            String name = ref.getFieldName();
            if (name != null && PLAIN_NAME.matcher(name).matches()) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(name);
            } else if (name != null) { // an unknown key of any spelling, "" or " " included, still names itself
                path.append("[\"").append(JsonStringEncoder.getInstance().quoteAsString(name)).append("\"]");
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
