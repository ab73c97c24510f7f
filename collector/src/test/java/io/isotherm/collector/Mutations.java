package io.isotherm.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Ways to damage a valid batch, as random input for property tests: on the tree (a field deleted, a value swapped for
 * one of another type or beyond every bound) and on the bytes (a byte flipped, a span cut or repeated, a token put in).
 * Each mutation is plain numbers, so jqwik can shrink a failing case to a small one.
 */
record Mutations(List<Mutation> steps) {
    /** @param kind which damage; {@code where} and {@code what} pick the place and the new value */
    record Mutation(int kind, int where, int what) {}

    /** Values of every JSON type, and beyond every range, that a field may be swapped for. */
    private static final List<String> VALUES = List.of("null", "true", "false", "0", "-1", "1.5", "-0", "1e999", "-1e999",
            "2147483648", "9223372036854775808", "99999999999999999999999", "\"\"", "\"x\"", "\"click\"", "\"\\u0000\"",
            "\"\\ud800\"", "\"" + "a".repeat(600) + "\"", "[]", "[1]", "{}", "{\"a\":1}", "[[[[[[[[]]]]]]]]", "0.5", "1", "1000001");
    /** What a byte-level mutation may put in. */
    private static final List<String> TOKENS = List.of("NaN", "Infinity", ",", ":", "{", "}", "[", "]", "\"", "\\", "\u00ff",
            "\ufeff", "\u0000", "1e400", "/*", "'", "nul");

    private static final int KINDS = 6;

    /** One to three mutations. */
    static Arbitrary<Mutations> any() {
        return any(1);
    }

    /** {@code minSteps} (0: the batch may stay valid) to three mutations. */
    static Arbitrary<Mutations> any(int minSteps) {
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.integers().between(0, KINDS - 1),
                Arbitraries.integers().greaterOrEqual(0), Arbitraries.integers().greaterOrEqual(0)).as(Mutation::new);
        return one.list().ofMinSize(minSteps).ofMaxSize(3).map(Mutations::new);
    }

    /** The damaged body: tree mutations first (while it still is JSON), then byte mutations. */
    byte[] apply(ObjectNode validBatch) {
        ObjectNode tree = validBatch.deepCopy();
        for (Mutation m : steps) {
            if (m.kind() == 0) deleteField(tree, m);
            if (m.kind() == 1) swapValue(tree, m);
        }
        String json = Batches.json(tree);
        for (Mutation m : steps) {
            if (m.kind() == 1) json = json.replace(placeholder(m), VALUES.get(m.what() % VALUES.size()));
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        for (Mutation m : steps) {
            body = switch (m.kind()) {
                case 2 -> flip(body, m);
                case 3 -> cut(body, m);
                case 4 -> repeat(body, m);
                case 5 -> insert(body, m);
                default -> body;
            };
        }
        return body;
    }

    private static String placeholder(Mutation m) {
        return "\"\\u0001" + m.where() + "\\u0001\"";
    }

    /** Every object field of the tree, as (object, name). */
    private static List<Map.Entry<ObjectNode, String>> fields(JsonNode node) {
        List<Map.Entry<ObjectNode, String>> fields = new ArrayList<>();
        collect(node, fields);
        return fields;
    }

    private static void collect(JsonNode node, List<Map.Entry<ObjectNode, String>> fields) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                fields.add(Map.entry(object, name));
                collect(object.get(name), fields);
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(element -> collect(element, fields));
        }
    }

    private static void deleteField(ObjectNode tree, Mutation m) {
        var fields = fields(tree);
        if (fields.isEmpty()) return;
        var field = fields.get(m.where() % fields.size());
        field.getKey().remove(field.getValue());
    }

    private static void swapValue(ObjectNode tree, Mutation m) {
        var fields = fields(tree);
        if (fields.isEmpty()) return;
        var field = fields.get(m.where() % fields.size());
        field.getKey().set(field.getValue(), JsonNodeFactory.instance.textNode("\u0001" + m.where() + "\u0001"));
    }

    private static byte[] flip(byte[] body, Mutation m) {
        if (body.length == 0) return body;
        byte[] flipped = body.clone();
        flipped[m.where() % body.length] = (byte) m.what();
        return flipped;
    }

    private static byte[] cut(byte[] body, Mutation m) {
        if (body.length == 0) return body;
        int from = m.where() % body.length;
        int to = Math.min(body.length, from + 1 + m.what() % 40);
        byte[] cut = new byte[body.length - (to - from)];
        System.arraycopy(body, 0, cut, 0, from);
        System.arraycopy(body, to, cut, from, body.length - to);
        return cut;
    }

    private static byte[] repeat(byte[] body, Mutation m) {
        if (body.length == 0) return body;
        int from = m.where() % body.length;
        int to = Math.min(body.length, from + 1 + m.what() % 40);
        byte[] repeated = new byte[body.length + (to - from)];
        System.arraycopy(body, 0, repeated, 0, to);
        System.arraycopy(body, from, repeated, to, body.length - from);
        return repeated;
    }

    private static byte[] insert(byte[] body, Mutation m) {
        byte[] token = TOKENS.get(m.what() % TOKENS.size()).getBytes(StandardCharsets.UTF_8);
        int at = body.length == 0 ? 0 : m.where() % (body.length + 1);
        byte[] inserted = new byte[body.length + token.length];
        System.arraycopy(body, 0, inserted, 0, at);
        System.arraycopy(token, 0, inserted, at, token.length);
        System.arraycopy(body, at, inserted, at + token.length, body.length - at);
        return inserted;
    }
}
