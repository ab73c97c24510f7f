package io.isotherm.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.isotherm.collector.Batches.click;
import static io.isotherm.collector.Batches.event;
import static io.isotherm.collector.Batches.events;
import static io.isotherm.collector.Batches.move;
import static io.isotherm.collector.Batches.scroll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a hostile client sends to {@code POST /api/collect}, one named input at a time: wrong JSON types for every
 * field, numbers beyond their type, literals JSON does not have, broken encodings, junk around and inside the object.
 * Each gets the status docs/COLLECT-API.md gives it, a JSON error naming the field when one is at fault, and stores
 * nothing: no event, no receipt, no page. CollectRejectionTest has the rules' own bounds; this is the junk.
 */
class HostileInputCatalogueTest {
    /** Stands for a raw JSON literal in the tree; replaced in the text after writing it. */
    private static final String RAW = "\u0001raw\u0001";
    private static final String RAW_QUOTED = "\"\\u0001raw\\u0001\"";

    private static Database db;
    private static Site site;
    private static CollectorServer server;

    @BeforeAll
    static void start() {
        db = TestPostgres.open();
        site = new SiteDao(db.jdbi()).add("Hostile", List.of("https://shop.example"), List.of());
        server = CollectorServer.start(db);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (db != null) db.close();
    }

    /** @param field the expected "field" of the answer, or null when the answer must not name one */
    record Case(String name, int status, String field, RequestMaker request) {
        @Override
        public String toString() {
            return name;
        }
    }

    interface RequestMaker {
        HttpRequest make(ObjectNode validBatch);
    }

    /** The valid batch with one field set to a raw JSON literal ({@code NaN}, {@code 1e999}, {@code "x"}, …). */
    private static Case literal(String name, int status, String field, String literal, Consumer<ObjectNode> placeRaw) {
        return text(name, status, field, json -> json.replace(RAW_QUOTED, literal), placeRaw);
    }

    /** The valid batch changed as a tree, then as text. */
    private static Case text(String name, int status, String field, UnaryOperator<String> edit, Consumer<ObjectNode> change) {
        return new Case(name, status, field, batch -> {
            change.accept(batch);
            return server.request(edit.apply(Batches.json(batch))).build();
        });
    }

    private static Case text(String name, int status, String field, UnaryOperator<String> edit) {
        return text(name, status, field, edit, b -> { });
    }

    /** The valid batch's bytes, changed. */
    private static Case bytes(String name, int status, String field, UnaryOperator<byte[]> edit) {
        return new Case(name, status, field, batch ->
                server.request(HttpRequest.BodyPublishers.ofByteArray(edit.apply(Batches.json(batch).getBytes(StandardCharsets.UTF_8)))).build());
    }

    /** Replaces the first {@code target} in the valid batch's UTF-8 bytes with {@code replacement}. */
    private static UnaryOperator<byte[]> splice(String target, byte... replacement) {
        return body -> {
            String json = new String(body, StandardCharsets.UTF_8);
            int at = json.indexOf(target);
            if (at < 0) throw new IllegalStateException(target + " not in " + json);
            var out = new ByteArrayOutputStream();
            out.writeBytes(json.substring(0, at).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(replacement);
            out.writeBytes(json.substring(at + target.length()).getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static ObjectNode viewport(ObjectNode b) {
        return (ObjectNode) b.get("viewport");
    }

    private static ObjectNode document(ObjectNode b) {
        return (ObjectNode) b.get("document");
    }

    static Stream<Case> hostileInputs() {
        return Stream.of(wrongTypes(), numbers(), literals(), strings(), structure(), encodings(), requests()).flatMap(s -> s);
    }

    /** A JSON value of the wrong type for each field: the server never converts. */
    private static Stream<Case> wrongTypes() {
        return Stream.of(
                literal("site as a number", 400, "site", "12345", b -> b.put("site", RAW)),
                literal("site as an object", 400, "site", "{\"key\":\"x\"}", b -> b.put("site", RAW)),
                literal("pageview as a number", 400, "pageview", "42", b -> b.put("pageview", RAW)),
                literal("pageview as an array", 400, "pageview", "[\"4f2c9a7e-1b3d-4c5e-8f60-7a1b2c3d4e5f\"]", b -> b.put("pageview", RAW)),
                literal("seq as true", 400, "seq", "true", b -> b.put("seq", RAW)),
                literal("sentAt as a string", 400, "sentAt", "\"1767225600000\"", b -> b.put("sentAt", RAW)),
                literal("sentAt as a fraction", 400, "sentAt", "1767225600000.5", b -> b.put("sentAt", RAW)),
                literal("url as a number", 400, "url", "7", b -> b.put("url", RAW)),
                literal("viewport as an array", 400, "viewport", "[1280,720]", b -> b.put("viewport", RAW)),
                literal("viewport as a string", 400, "viewport", "\"1280x720\"", b -> b.put("viewport", RAW)),
                literal("viewport.width as a string", 400, "viewport.width", "\"1280\"", b -> viewport(b).put("width", RAW)),
                literal("viewport.height as a fraction", 400, "viewport.height", "720.5", b -> viewport(b).put("height", RAW)),
                literal("document as a number", 400, "document", "3400", b -> b.put("document", RAW)),
                literal("document.height as a boolean", 400, "document.height", "false", b -> document(b).put("height", RAW)),
                literal("device as a number", 400, "device", "1", b -> b.put("device", RAW)),
                literal("dpr as a boolean", 400, "dpr", "true", b -> b.put("dpr", RAW)),
                literal("tz as a number", 400, "tz", "120", b -> b.put("tz", RAW)),
                literal("events as an object", 400, "events", "{\"0\":{}}", b -> b.put("events", RAW)),
                literal("events as a string", 400, "events", "\"click\"", b -> b.put("events", RAW)),
                literal("an event as a string", 400, "events[0]", "\"click\"", b -> events(b).set(0, b.textNode(RAW))),
                literal("an event as an array", 400, "events[0]", "[\"click\",1,2]", b -> events(b).set(0, b.textNode(RAW))),
                literal("kind as a number", 400, "events[0].kind", "1", b -> event(b, 0).put("kind", RAW)),
                literal("t as a string", 400, "events[1].t", "\"now\"", b -> event(b, 1).put("t", RAW)),
                literal("t as a fraction", 400, "events[1].t", "1767225600000.25", b -> event(b, 1).put("t", RAW)),
                literal("x as a boolean", 400, "events[0].x", "true", b -> event(b, 0).put("x", RAW)),
                literal("y as an array", 400, "events[1].y", "[1,2]", b -> event(b, 1).put("y", RAW)),
                literal("selector as a number", 400, "events[0].selector", "3", b -> event(b, 0).put("selector", RAW)),
                literal("boxX as a string", 400, "events[0].boxX", "\"0.5\"", b -> event(b, 0).put("boxX", RAW)),
                literal("boxY as an object", 400, "events[0].boxY", "{\"v\":0.5}", b -> event(b, 0).put("boxY", RAW)),
                literal("interactive as a number", 400, "events[0].interactive", "1", b -> event(b, 0).put("interactive", RAW)),
                literal("rage as a string", 400, "events[0].rage", "\"no\"", b -> event(b, 0).put("rage", RAW)),
                literal("dwell as a fraction", 400, "events[2].dwell", "100.5", b -> event(b, 2).put("dwell", RAW)),
                literal("depth as a string", 400, "events[2].depth", "\"half\"", b -> event(b, 2).put("depth", RAW)));
    }

    /** Valid JSON numbers that no field can hold. */
    private static Stream<Case> numbers() {
        return Stream.of(
                literal("seq one past the largest int", 400, "seq", "2147483648", b -> b.put("seq", RAW)),
                literal("seq one below the smallest int", 400, "seq", "-2147483649", b -> b.put("seq", RAW)),
                literal("seq of 30 digits", 400, "seq", "1" + "0".repeat(29), b -> b.put("seq", RAW)),
                literal("sentAt one past the largest long", 400, "sentAt", "9223372036854775808", b -> b.put("sentAt", RAW)),
                literal("viewport.width of 11 digits", 400, "viewport.width", "99999999999", b -> viewport(b).put("width", RAW)),
                literal("document.height below the smallest int", 400, "document.height", "-99999999999", b -> document(b).put("height", RAW)),
                literal("t beyond a long", 400, "events[1].t", "99999999999999999999", b -> event(b, 1).put("t", RAW)),
                literal("dwell beyond a long", 400, "events[2].dwell", "18446744073709551616", b -> event(b, 2).put("dwell", RAW)),
                literal("seq written with an exponent", 400, "seq", "1e2", b -> b.put("seq", RAW)),
                literal("x with a huge exponent", 400, "events[0].x", "1e999999", b -> event(b, 0).put("x", RAW)),
                literal("x with a huge negative value", 400, "events[0].x", "-1e400", b -> event(b, 0).put("x", RAW)),
                literal("dpr with a huge exponent", 400, "dpr", "2e308", b -> b.put("dpr", RAW)),
                literal("x of 1,200 digits, beyond the parser's number length", 400, null, "9".repeat(1200), b -> event(b, 0).put("x", RAW)),
                literal("negative sentAt", 400, "sentAt", "-1767225600000", b -> b.put("sentAt", RAW)),
                literal("negative dwell", 400, "events[2].dwell", "-5", b -> event(b, 2).put("dwell", RAW)),
                literal("negative zero viewport width", 400, "viewport.width", "-0", b -> viewport(b).put("width", RAW)));
    }

    /** Literals and spellings JSON does not have. */
    private static Stream<Case> literals() {
        return Stream.of(
                literal("x as NaN", 400, null, "NaN", b -> event(b, 0).put("x", RAW)),
                literal("y as Infinity", 400, null, "Infinity", b -> event(b, 1).put("y", RAW)),
                literal("depth as -Infinity", 400, null, "-Infinity", b -> event(b, 2).put("depth", RAW)),
                literal("seq in hexadecimal", 400, null, "0x10", b -> b.put("seq", RAW)),
                literal("seq with a leading zero", 400, null, "07", b -> b.put("seq", RAW)),
                literal("seq with a plus sign", 400, null, "+1", b -> b.put("seq", RAW)),
                literal("x with a trailing dot", 400, null, "10.", b -> event(b, 0).put("x", RAW)),
                literal("url in single quotes", 400, null, "'https://shop.example/'", b -> b.put("url", RAW)),
                literal("undefined as a value", 400, null, "undefined", b -> b.put("device", RAW)),
                text("unquoted key", 400, null, json -> json.replace("\"seq\":", "seq:")),
                text("trailing comma in the object", 400, null, json -> json.substring(0, json.length() - 1) + ",}"),
                text("trailing comma in the events", 400, null, json -> json.replace("}],", "},],")),
                text("a comment in the body", 400, null, json -> json.replaceFirst("\\{", "{/* hi */")),
                text("a raw line break inside a string", 400, null, json -> json.replace("#buy", "#b\nuy")));
    }

    /** Strings that break the rules: too long, empty, another alphabet. */
    private static Stream<Case> strings() {
        return Stream.of(
                text("empty site key", 400, "site", json -> json, b -> b.put("site", "")),
                text("site key of 65 characters", 400, "site", json -> json, b -> b.put("site", "k".repeat(65))),
                text("site key with an SQL fragment", 400, "site", json -> json, b -> b.put("site", "x' OR '1'='1")),
                text("site key in another alphabet", 400, "site", json -> json, b -> b.put("site", "сайт")),
                text("pageview of 10,000 characters", 400, "pageview", json -> json, b -> b.put("pageview", "a".repeat(10_000))),
                text("pageview with braces", 400, "pageview", json -> json, b -> b.put("pageview", "{" + UUID.randomUUID() + "}")),
                text("device of 1,000 characters", 400, "device", json -> json, b -> b.put("device", "d".repeat(1000))),
                text("device in upper case", 400, "device", json -> json, b -> b.put("device", "DESKTOP")),
                text("tz with a non-ASCII letter", 400, "tz", json -> json, b -> b.put("tz", "Europe/Zürich")),
                text("kind in upper case", 400, "events[0].kind", json -> json, b -> event(b, 0).put("kind", "CLICK")),
                text("kind with a trailing space", 400, "events[1].kind", json -> json, b -> event(b, 1).put("kind", "move ")),
                text("empty kind", 400, "events[2].kind", json -> json, b -> event(b, 2).put("kind", "")),
                text("kind null", 400, "events[0].kind", json -> json, b -> event(b, 0).putNull("kind")),
                text("selector with an escaped NUL", 400, "events[0].selector", json -> json, b -> event(b, 0).put("selector", "#a\u0000b")),
                text("selector with DEL", 400, "events[0].selector", json -> json, b -> event(b, 0).put("selector", "#a\u007fb")),
                literal("selector with a lone surrogate escaped", 400, "events[0].selector", "\"#a\\ud800b\"",
                        b -> event(b, 0).put("selector", RAW)),
                literal("selector with surrogates in the wrong order", 400, "events[0].selector", "\"#a\\udc00\\ud800\"",
                        b -> event(b, 0).put("selector", RAW)));
    }

    /** The wrong shape: junk around, inside and instead of the object. */
    private static Stream<Case> structure() {
        return Stream.of(
                text("empty object", 400, "site", json -> "{}"),
                text("whitespace only", 400, null, json -> " \r\n\t "),
                text("the JSON literal true", 400, null, json -> "true"),
                text("a number", 400, null, json -> "202"),
                text("an empty array", 400, null, json -> "[]"),
                text("two objects one after the other", 400, null, json -> json + json),
                text("junk after the object", 400, null, json -> json + "x"),
                text("an unclosed object", 400, null, json -> json.substring(0, json.length() - 1)),
                text("viewport null", 400, "viewport", json -> json, b -> b.putNull("viewport")),
                text("events null", 400, "events", json -> json, b -> b.putNull("events")),
                text("unknown field inside viewport", 400, "viewport.depth", json -> json, b -> viewport(b).put("depth", 24)),
                text("a field with an empty name inside viewport", 400, "viewport[\"\"]", json -> json, b -> viewport(b).put("", 1)),
                text("a field named with a quote and a space", 400, "[\"a\\\" b\"]", json -> json, b -> b.put("a\" b", 1)),
                literal("unknown field holding junk nested 3,000 arrays deep", 400, "junk", "[".repeat(3_000) + "]".repeat(3_000),
                        b -> b.put("junk", RAW)),
                literal("viewport.width nested 20,000 arrays deep", 400, "viewport.width", "[".repeat(20_000) + "]".repeat(20_000),
                        b -> viewport(b).put("width", RAW)),
                literal("an event nested 5,000 objects deep", 400, null, "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000),
                        b -> events(b).set(0, b.textNode(RAW))),
                text("10,000 events, over the body limit", 413, null, json -> json, b -> {
                    long t = b.get("sentAt").asLong();
                    while (events(b).size() < 10_000) events(b).add(move(t, 1, 1));
                }));
    }

    /** Bytes that are not UTF-8 JSON. */
    private static Stream<Case> encodings() {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        return Stream.of(
                bytes("a lone 0xFF byte in a string", 400, null, splice("#buy", (byte) '#', (byte) 0xff)),
                bytes("a UTF-8 lead byte without its continuation", 400, null, splice("#buy", (byte) '#', (byte) 0xc3, (byte) '(')),
                bytes("an overlong encoding of '/'", 400, null, splice("#buy", (byte) '#', (byte) 0xc0, (byte) 0xaf)),
                bytes("a surrogate encoded in UTF-8", 400, null, splice("#buy", (byte) '#', (byte) 0xed, (byte) 0xa0, (byte) 0x80)),
                bytes("a byte-order mark inside the object", 400, null, splice("\"seq\"", concat(bom, "\"seq\"".getBytes(StandardCharsets.UTF_8)))),
                bytes("two byte-order marks", 400, null, body -> concat(concat(bom, bom), body)),
                bytes("a NUL byte before the object", 400, null, body -> concat(new byte[]{0}, body)),
                bytes("the body in UTF-16 without a byte-order mark", 400, null,
                        body -> new String(body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16LE)),
                bytes("the body in UTF-32", 400, null,
                        body -> new String(body, StandardCharsets.UTF_8).getBytes(Charset.forName("UTF-32BE"))));
    }

    /** What is wrong is the request around the body. */
    private static Stream<Case> requests() {
        return Stream.of(
                new Case("Content-Type text/html", 415, null, b -> server.request(Batches.json(b)).setHeader("Content-Type", "text/html").build()),
                new Case("Content-Type multipart/form-data", 415, null,
                        b -> server.request(Batches.json(b)).setHeader("Content-Type", "multipart/form-data; boundary=x").build()),
                new Case("Content-Type text/plainx", 415, null, b -> server.request(Batches.json(b)).setHeader("Content-Type", "text/plainx").build()),
                new Case("an unknown site key of 64 characters", 404, "site",
                        b -> server.request(Batches.json(b.put("site", "k".repeat(64)))).build()));
    }

    /** A valid batch of a click with all its fields, a move and a scroll, on a page not seen before. */
    private static ObjectNode validBatch() {
        long now = Instant.now().toEpochMilli();
        ObjectNode batch = Batches.batch(site.publicKey(), UUID.randomUUID(), 0, now,
                "https://shop.example/hostile/" + UUID.randomUUID());
        batch.put("device", "desktop").put("dpr", 2).put("tz", "Europe/Berlin")
                .put("referrer", "www.google.com").put("query", "?utm_source=news").put("variant", "B");
        events(batch).add(click(now - 300, 10, 20).put("selector", "#buy").put("boxX", 0.5).put("boxY", 0.5)
                .put("fixed", false).put("interactive", true).put("rage", false));
        events(batch).add(move(now - 200, 30, 40));
        events(batch).add(scroll(now - 100, 720, 1000).put("depth", 0.5));
        return batch;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileInputs")
    void refuses_a_hostile_input_with_its_documented_status_and_stores_nothing(Case c) {
        ObjectNode batch = validBatch();
        String pageUrl = batch.get("url").asText();
        long events = Stored.count(db, "SELECT count(*) FROM raw_event");
        long receipts = Stored.count(db, "SELECT count(*) FROM ingest_batch");
        long pages = Stored.count(db, "SELECT count(*) FROM page");

        HttpResponse<String> response = server.send(c.request().make(batch));

        assertThat(response.statusCode()).as(c.name() + ": " + response.body()).isEqualTo(c.status());
        JsonNode body = Batches.parse(response.body());
        assertThat(body.path("error").asText()).as(response.body()).isNotBlank();
        if (c.field() == null) {
            assertThat(body.has("field")).as(c.name() + ": " + response.body()).isFalse();
        } else {
            assertThat(body.path("field").asText(null)).as(c.name() + ": " + response.body()).isEqualTo(c.field());
            if (c.status() == 400) assertThat(body.path("error").asText()).startsWith(c.field() + " ");
        }
        assertThat(Stored.count(db, "SELECT count(*) FROM raw_event")).isEqualTo(events);
        assertThat(Stored.count(db, "SELECT count(*) FROM ingest_batch")).isEqualTo(receipts);
        assertThat(Stored.count(db, "SELECT count(*) FROM page")).isEqualTo(pages);
        assertThat(Stored.count(db, "SELECT count(*) FROM page WHERE url = ?", pageUrl)).isZero();
    }

    @Test
    void a_utf8_byte_order_mark_at_the_very_start_is_skipped_as_the_rfc_allows() {
        ObjectNode batch = validBatch();
        byte[] body = concat(new byte[]{(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, Batches.json(batch).getBytes(StandardCharsets.UTF_8));

        var response = server.send(server.request(HttpRequest.BodyPublishers.ofByteArray(body)).build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Stored.events(db, UUID.fromString(batch.get("pageview").asText()))).hasSize(3);
    }

    @Test
    void the_catalogue_holds_at_least_60_named_inputs_and_its_valid_batch_is_stored() {
        assertThat(hostileInputs().map(Case::name).distinct().count()).isGreaterThanOrEqualTo(60)
                .isEqualTo(hostileInputs().count());
        ObjectNode batch = validBatch();
        var response = server.post(batch);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Stored.events(db, UUID.fromString(batch.get("pageview").asText()))).hasSize(3);
    }
}
