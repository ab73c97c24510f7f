package io.isotherm.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.isotherm.collector.Batches.click;
import static io.isotherm.collector.Batches.event;
import static io.isotherm.collector.Batches.events;
import static io.isotherm.collector.Batches.move;
import static io.isotherm.collector.Batches.scroll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad request gets its documented status, a JSON body naming the field at fault, and leaves no
 * trace in PostgreSQL: no event, no receipt, not even a page row.
 */
class CollectRejectionTest {
    private static final int MAX_BODY = CollectorSettings.defaults().maxBodyBytes();

    private static Database db;
    private static Site site;
    private static CollectorServer server;

    @BeforeAll
    static void start() {
        db = TestPostgres.open();
        site = new SiteDao(db.jdbi()).add("Shop", List.of("https://shop.example"), List.of());
        server = CollectorServer.start(db);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (db != null) db.close();
    }

    /** Makes the request of one case from a valid batch (whose URL is a page nobody has sent before). */
    interface RequestMaker {
        HttpRequest make(CollectorServer server, ObjectNode validBatch);
    }

    /** @param field the expected "field" of the answer, or null when the answer must not name one */
    record Case(String name, int status, String field, RequestMaker request) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The valid batch with one field changed: 400 naming {@code field}. */
    private static Case invalid(String name, String field, Consumer<ObjectNode> change) {
        return new Case(name, 400, field, (server, batch) -> {
            change.accept(batch);
            return server.request(Batches.json(batch)).build();
        });
    }

    /** A body of text derived from the valid batch, sent as the tracker would. */
    private static Case body(String name, int status, String field, Function<String, String> body) {
        return new Case(name, status, field, (server, batch) -> server.request(body.apply(Batches.json(batch))).build());
    }

    private static Case request(String name, int status, String field, RequestMaker request) {
        return new Case(name, status, field, request);
    }

    /** The valid batch padded with spaces after the JSON object to exactly {@code size} bytes. */
    private static byte[] padded(ObjectNode batch, int size) {
        byte[] json = Batches.json(batch).getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[size];
        System.arraycopy(json, 0, body, 0, json.length);
        java.util.Arrays.fill(body, json.length, size, (byte) ' ');
        return body;
    }

    static Stream<Case> badRequests() {
        return Stream.of(
                body("malformed JSON", 400, null, json -> "this is not json"),
                body("JSON array instead of an object", 400, null, json -> "[" + json + "]"),
                body("JSON string instead of an object", 400, null, json -> "\"" + json.replace("\"", "'") + "\""),
                body("empty body", 400, null, json -> ""),
                invalid("missing site", "site", b -> b.remove("site")),
                invalid("site key with characters a key cannot have", "site", b -> b.put("site", "no such key!")),
                invalid("unknown top-level field", "foo", b -> b.put("foo", 1)),
                // Duplicate keys are refused, not "the last wins": the two values may disagree.
                body("top-level key twice", 400, "seq", json -> json.replaceFirst("\\{", "{\"seq\":1,")),
                body("event key twice", 400, "events[0].x", json -> json.replaceFirst("\"events\":\\[\\{", "\"events\":[{\"x\":1,")),
                invalid("unknown event field", "events[0].colour", b -> event(b, 0).put("colour", "red")),
                invalid("x as a string", "events[0].x", b -> event(b, 0).put("x", "12")),
                invalid("fixed as a string", "events[0].fixed", b -> event(b, 0).put("fixed", "true")),
                invalid("seq as 1.5", "seq", b -> b.put("seq", 1.5)),
                invalid("seq as a string", "seq", b -> b.put("seq", "3")),
                invalid("negative seq", "seq", b -> b.put("seq", -1)),
                invalid("seq above 1,000,000", "seq", b -> b.put("seq", 1_000_001)),
                invalid("missing seq", "seq", b -> b.remove("seq")),
                invalid("sentAt 0", "sentAt", b -> b.put("sentAt", 0)),
                invalid("pageview not a UUID", "pageview", b -> b.put("pageview", "not-a-uuid")),
                invalid("negative x", "events[0].x", b -> event(b, 0).put("x", -1)),
                invalid("x beyond the document bound", "events[0].x", b -> event(b, 0).put("x", 100_000.6)),
                invalid("x of 1e9", "events[0].x", b -> event(b, 0).put("x", 1e9)),
                invalid("y beyond the document bound on a move", "events[1].y", b -> event(b, 1).put("y", 1_000_001)),
                invalid("move without y", "events[1].y", b -> event(b, 1).remove("y")),
                invalid("unknown kind", "events[0].kind", b -> event(b, 0).put("kind", "hover")),
                invalid("missing kind", "events[2].kind", b -> event(b, 2).remove("kind")),
                invalid("null event", "events[1]", b -> events(b).setNull(1)),
                invalid("referrer as a number", "referrer", b -> b.put("referrer", 42)),
                invalid("query as an object", "query", b -> b.putObject("query").put("utm_source", "news")),
                invalid("variant as a boolean", "variant", b -> b.put("variant", true)),
                invalid("variant longer than 100 characters", "variant", b -> b.put("variant", "B".repeat(101))),
                invalid("variant with a control character", "variant", b -> b.put("variant", "B\u0007")),
                invalid("url not http(s)", "url", b -> b.put("url", "ftp://shop.example/file")),
                invalid("url without a host", "url", b -> b.put("url", "javascript:alert(1)")),
                invalid("url longer than 2048 characters", "url",
                        b -> b.put("url", "https://shop.example/" + "a".repeat(2048 - "https://shop.example/".length() + 1))),
                invalid("selector longer than 512 characters", "events[0].selector",
                        b -> event(b, 0).put("selector", "a".repeat(513))),
                invalid("blank selector", "events[0].selector", b -> event(b, 0).put("selector", "   ")),
                invalid("selector with a control character", "events[0].selector",
                        b -> event(b, 0).put("selector", "main >\na")),
                invalid("boxX above 1", "events[0].boxX", b -> event(b, 0).put("boxX", 1.01)),
                invalid("negative boxY", "events[0].boxY", b -> event(b, 0).put("boxY", -0.01)),
                invalid("boxX without a selector", "events[0].selector", b -> event(b, 0).remove("selector")),
                invalid("selector without boxX", "events[0].boxX", b -> event(b, 0).remove("boxX")),
                invalid("no events", "events", b -> events(b).removeAll()),
                invalid("more than 500 events", "events", b -> {
                    long t = b.get("sentAt").asLong();
                    while (events(b).size() < 501) events(b).add(move(t, 1, 1));
                }),
                invalid("event more than 24 hours before sentAt", "events[1].t",
                        b -> event(b, 1).put("t", b.get("sentAt").asLong() - Duration.ofHours(24).toMillis() - 1)),
                invalid("event more than 1 s after sentAt", "events[2].t",
                        b -> event(b, 2).put("t", b.get("sentAt").asLong() + 1001)),
                invalid("viewport width 0", "viewport.width", b -> ((ObjectNode) b.get("viewport")).put("width", 0)),
                invalid("viewport height above 20,000", "viewport.height",
                        b -> ((ObjectNode) b.get("viewport")).put("height", 20_001)),
                invalid("document height above 1,000,000", "document.height",
                        b -> ((ObjectNode) b.get("document")).put("height", 1_000_001)),
                invalid("missing viewport", "viewport", b -> b.remove("viewport")),
                invalid("device tv", "device", b -> b.put("device", "tv")),
                invalid("selector on a move", "events[1].selector", b -> event(b, 1).put("selector", "#menu")),
                invalid("fixed on a scroll", "events[2].fixed", b -> event(b, 2).put("fixed", false)),
                invalid("x on a scroll", "events[2].x", b -> event(b, 2).put("x", 10)),
                invalid("dwell on a click", "events[0].dwell", b -> event(b, 0).put("dwell", 100)),
                invalid("dwell above one hour", "events[2].dwell",
                        b -> event(b, 2).put("dwell", Duration.ofHours(1).toMillis() + 1)),
                invalid("depth above 1", "events[2].depth", b -> event(b, 2).put("depth", 1.01)),
                invalid("depth on a move", "events[1].depth", b -> event(b, 1).put("depth", 0.5)),
                invalid("device pixel ratio 0", "dpr", b -> b.put("dpr", 0)),
                invalid("device pixel ratio 17", "dpr", b -> b.put("dpr", 17)),
                invalid("device pixel ratio as a string", "dpr", b -> b.put("dpr", "2")),
                invalid("time zone with a space", "tz", b -> b.put("tz", "Europe/Berlin x")),
                invalid("time zone of 65 characters", "tz", b -> b.put("tz", "A".repeat(65))),
                request("unknown site key", 404, "site", (server, b) ->
                        server.request(Batches.json(b.put("site", "nosuchsite2345678"))).build()),
                request("Origin header not among the site's origins", 403, "Origin", (server, b) ->
                        server.request(Batches.json(b)).setHeader("Origin", "https://evil.example").build()),
                request("url on another origin", 403, "url", (server, b) ->
                        server.request(Batches.json(b.put("url", "https://evil.example/pricing"))).build()),
                request("url on another port of the site's host", 403, "url", (server, b) ->
                        server.request(Batches.json(b.put("url", "https://shop.example:8443/pricing"))).build()),
                request("body over 64 KiB with Content-Length", 413, null, (server, b) ->
                        server.request(HttpRequest.BodyPublishers.ofByteArray(padded(b, MAX_BODY + 1))).build()),
                request("body of 900 KiB, far over the limit", 413, null, (server, b) ->
                        server.request(HttpRequest.BodyPublishers.ofByteArray(padded(b, 900 * 1024))).build()),
                request("body over 64 KiB sent chunked", 413, null, (server, b) -> {
                    byte[] body = padded(b, MAX_BODY + 1);
                    return server.request(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
                }),
                request("form content type", 415, null, (server, b) -> server.request(Batches.json(b))
                        .setHeader("Content-Type", "application/x-www-form-urlencoded").build()),
                request("no content type", 415, null, (server, b) -> HttpRequest.newBuilder(server.endpoint())
                        .header("User-Agent", CollectorServer.CHROME_UA)
                        .header("Origin", CollectorServer.ORIGIN)
                        .POST(HttpRequest.BodyPublishers.ofString(Batches.json(b))).build()));
    }

    /** A valid batch of a click with all its fields, a move and a scroll, on a page not seen before. */
    private static ObjectNode validBatch() {
        long now = Instant.now().toEpochMilli();
        ObjectNode batch = Batches.batch(site.publicKey(), UUID.randomUUID(), 0, now,
                "https://shop.example/never-stored/" + UUID.randomUUID());
        events(batch).add(click(now - 300, 10, 20).put("selector", "#buy").put("boxX", 0.5).put("boxY", 0.5)
                .put("fixed", false).put("interactive", true).put("rage", false));
        events(batch).add(move(now - 200, 30, 40));
        events(batch).add(scroll(now - 100, 720, 1000));
        return batch;
    }

    @Test
    void accepts_the_valid_batch_the_bad_requests_are_made_from() {
        ObjectNode batch = validBatch();
        UUID pageview = UUID.fromString(batch.get("pageview").asText());

        var response = server.post(batch);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Stored.events(db, pageview)).hasSize(3);
        assertThat(Stored.count(db, "SELECT count(*) FROM page WHERE url = ?", batch.get("url").asText())).isEqualTo(1);
    }

    /** Values right on the bounds that the bad requests step over: each must still be stored. */
    record Edge(String name, Consumer<ObjectNode> change) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Edge> valuesOnTheBounds() {
        return Stream.of(
                new Edge("event exactly 24 hours before sentAt",
                        b -> event(b, 1).put("t", b.get("sentAt").asLong() - Duration.ofHours(24).toMillis())),
                new Edge("event exactly 1 s after sentAt", b -> event(b, 2).put("t", b.get("sentAt").asLong() + 1000)),
                new Edge("coordinates at the document bounds", b -> event(b, 0).put("x", 100_000).put("y", 1_000_000)),
                new Edge("coordinates of 0", b -> event(b, 1).put("x", 0).put("y", 0)),
                new Edge("box position 0 and 1", b -> event(b, 0).put("boxX", 0).put("boxY", 1)),
                new Edge("seq 1,000,000", b -> b.put("seq", 1_000_000)),
                new Edge("sentAt 1", b -> {
                    b.put("sentAt", 1);
                    events(b).forEach(e -> ((ObjectNode) e).put("t", 0));
                }),
                new Edge("smallest viewport and document", b -> {
                    ((ObjectNode) b.get("viewport")).put("width", 1).put("height", 1);
                    ((ObjectNode) b.get("document")).put("width", 1).put("height", 1);
                }),
                new Edge("largest viewport and document", b -> {
                    ((ObjectNode) b.get("viewport")).put("width", 20_000).put("height", 20_000);
                    ((ObjectNode) b.get("document")).put("width", 100_000).put("height", 1_000_000);
                }),
                new Edge("dwell of one hour", b -> event(b, 2).put("dwell", Duration.ofHours(1).toMillis())),
                new Edge("scroll without dwell", b -> event(b, 2).remove("dwell")),
                new Edge("depth 0 and 1", b -> {
                    event(b, 2).put("depth", 1);
                    events(b).add(scroll(b.get("sentAt").asLong(), 0, 10).put("depth", 0));
                }),
                new Edge("smallest device pixel ratio", b -> b.put("dpr", 0.1)),
                new Edge("largest device pixel ratio", b -> b.put("dpr", 16)),
                new Edge("time zone names", b -> b.put("tz", "America/Argentina/Buenos_Aires")),
                new Edge("time zone of 64 characters", b -> b.put("tz", "Etc/GMT+5" + "a".repeat(55))),
                new Edge("500 events", b -> {
                    long t = b.get("sentAt").asLong();
                    while (events(b).size() < 500) events(b).add(move(t, 1, 1));
                }),
                new Edge("url of 2048 characters", b -> b.put("url",
                        "https://shop.example/" + UUID.randomUUID() + "a".repeat(2048 - "https://shop.example/".length() - 36))),
                new Edge("selector of 512 characters", b -> event(b, 0).put("selector", "a".repeat(512))),
                new Edge("variant of 100 characters", b -> b.put("variant", "B".repeat(100))),
                new Edge("referrer, query and variant", b -> b.put("referrer", "www.google.com").put("query", "?utm_source=news")
                        .put("variant", "B")),
                new Edge("pageview in upper case", b -> b.put("pageview", b.get("pageview").asText().toUpperCase())),
                new Edge("optional fields set to null", b -> {
                    b.putNull("device");
                    event(b, 0).putNull("fixed").putNull("interactive").putNull("rage");
                    event(b, 2).putNull("dwell").putNull("depth");
                    b.putNull("dpr").putNull("tz").putNull("referrer").putNull("query").putNull("variant");
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesOnTheBounds")
    void stores_a_batch_whose_values_lie_exactly_on_the_bounds(Edge edge) {
        ObjectNode batch = validBatch();
        edge.change().accept(batch);
        UUID pageview = UUID.fromString(batch.get("pageview").asText());

        var response = server.post(batch);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Stored.events(db, pageview)).hasSize(events(batch).size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void refuses_a_bad_request_with_its_status_and_field_and_stores_nothing(Case c) {
        assertRefusedAndNothingStored(c);
    }

    @Test
    void refuses_the_json_literal_null_as_a_body_that_is_not_an_object() {
        assertRefusedAndNothingStored(body("JSON null", 400, null, json -> "null"));
    }

    @Test
    void refuses_a_body_cut_off_inside_a_nested_object_as_malformed_without_blaming_a_field() {
        assertRefusedAndNothingStored(body("JSON cut off inside document", 400, null,
                json -> json.substring(0, json.indexOf("\"height\"", json.indexOf("\"document\"")))));
    }

    /**
     * A client that announces a too large body with {@code Expect: 100-continue} is answered 413 at once and never
     * invited to send it. Spoken over a raw socket: the JDK's HttpClient does not handle a final answer to
     * Expect reliably.
     */
    @Test
    void answers_413_to_an_announced_oversized_body_without_asking_for_it() throws Exception {
        long receiptsBefore = Stored.count(db, "SELECT count(*) FROM ingest_batch");
        try (var socket = new java.net.Socket("127.0.0.1", server.endpoint().getPort())) {
            socket.setSoTimeout(5_000);
            String head = "POST /api/collect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "User-Agent: " + CollectorServer.CHROME_UA + "\r\nContent-Length: " + (MAX_BODY * 4)
                    + "\r\nExpect: 100-continue\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 413 Payload Too Large");
            String line;
            StringBuilder rest = new StringBuilder();
            while ((line = in.readLine()) != null && !line.startsWith("{")) {
                rest.append(line).append('\n');
            }
            assertThat(rest.toString()).doesNotContain("100 Continue");
            assertThat(line).isEqualTo("{\"error\":\"request body exceeds " + MAX_BODY + " bytes\"}");
        }
        assertThat(Stored.count(db, "SELECT count(*) FROM ingest_batch")).isEqualTo(receiptsBefore);
    }

    @Test
    void refuses_an_event_time_so_far_before_sent_at_that_their_difference_overflows() {
        assertRefusedAndNothingStored(invalid("t overflowing sentAt - t", "events[0].t", b -> {
            event(b, 0).put("t", Long.MIN_VALUE + 1); // sentAt - t would wrap around to a small number
        }));
    }

    @Test
    void refuses_a_sent_at_so_large_that_event_ages_could_overflow() {
        assertRefusedAndNothingStored(invalid("sentAt at the largest long", "sentAt", b -> {
            b.put("sentAt", Long.MAX_VALUE);
            event(b, 0).put("t", Long.MIN_VALUE + 1);
            event(b, 1).put("t", Long.MAX_VALUE);
            event(b, 2).put("t", Long.MAX_VALUE);
        }));
    }

    private static void assertRefusedAndNothingStored(Case c) {
        ObjectNode batch = validBatch();
        String pageUrl = batch.get("url").asText();
        UUID pageview = UUID.fromString(batch.get("pageview").asText());
        long events = Stored.count(db, "SELECT count(*) FROM raw_event");
        long receipts = Stored.count(db, "SELECT count(*) FROM ingest_batch");
        long pages = Stored.count(db, "SELECT count(*) FROM page");
        double rejected = rejectedCount();
        HttpRequest request = c.request().make(server, batch);

        HttpResponse<String> response = server.send(request);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(c.status());
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = Batches.parse(response.body());
        assertThat(body.isObject()).as(response.body()).isTrue();
        assertThat(body.path("error").isTextual()).as(response.body()).isTrue();
        assertThat(body.path("error").asText()).isNotBlank();
        if (c.field() == null) {
            assertThat(body.has("field")).as(response.body()).isFalse();
        } else {
            assertThat(body.path("field").asText(null)).as(response.body()).isEqualTo(c.field());
        }
        // The tracker must be able to read the refusal: the Origin is echoed on every answer.
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEqualTo(request.headers().firstValue("Origin"));
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        assertThat(rejectedCount() - rejected).isEqualTo(1);

        assertThat(Stored.events(db, pageview)).isEmpty();
        assertThat(Stored.count(db, "SELECT count(*) FROM raw_event")).isEqualTo(events);
        assertThat(Stored.count(db, "SELECT count(*) FROM ingest_batch")).isEqualTo(receipts);
        assertThat(Stored.count(db, "SELECT count(*) FROM page")).isEqualTo(pages);
        assertThat(Stored.count(db, "SELECT count(*) FROM page WHERE url = ?", pageUrl)).isZero();
    }

    private static double rejectedCount() {
        return server.registry.find("isotherm.collect.batches.rejected").counters().stream().mapToDouble(Counter::count).sum();
    }
}
