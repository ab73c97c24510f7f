package io.isotherm.collector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.UUID;

/**
 * Valid batches as Jackson trees, in the wire format of docs/COLLECT-API.md. Tests change single fields of a
 * valid batch to make exactly one thing wrong.
 */
final class Batches {
    static final ObjectMapper JSON = new ObjectMapper();

    private Batches() {
    }

    /** A batch with the usual desktop page context and no events yet; add them to {@link #events}. */
    static ObjectNode batch(String siteKey, UUID pageview, int seq, long sentAt, String url) {
        ObjectNode batch = JSON.createObjectNode();
        batch.put("site", siteKey);
        batch.put("pageview", pageview.toString());
        batch.put("seq", seq);
        batch.put("sentAt", sentAt);
        batch.put("url", url);
        batch.putObject("viewport").put("width", 1280).put("height", 720);
        batch.putObject("document").put("width", 1280).put("height", 3400);
        batch.putArray("events");
        return batch;
    }

    /**
     * A valid batch of {@code count} events (click, move, scroll in turn) on https://shop.example/, sent now.
     */
    static ObjectNode simple(String siteKey, UUID pageview, int seq, int count) {
        long now = Instant.now().toEpochMilli();
        ObjectNode batch = batch(siteKey, pageview, seq, now, CollectorServer.ORIGIN + "/");
        for (int i = 0; i < count; i++) {
            long t = now - 1000 + i;
            events(batch).add(switch (i % 3) {
                case 0 -> click(t, 10 + i, 20 + i).put("selector", "#buy").put("boxX", 0.5).put("boxY", 0.25);
                case 1 -> move(t, 30 + i, 40 + i);
                default -> scroll(t, 720 + i, 100 + i);
            });
        }
        return batch;
    }

    static ArrayNode events(ObjectNode batch) {
        return (ArrayNode) batch.get("events");
    }

    static ObjectNode event(ObjectNode batch, int index) {
        return (ObjectNode) events(batch).get(index);
    }

    static ObjectNode click(long t, double x, double y) {
        return JSON.createObjectNode().put("kind", "click").put("t", t).put("x", x).put("y", y);
    }

    static ObjectNode move(long t, double x, double y) {
        return JSON.createObjectNode().put("kind", "move").put("t", t).put("x", x).put("y", y);
    }

    static ObjectNode scroll(long t, double y, long dwell) {
        return JSON.createObjectNode().put("kind", "scroll").put("t", t).put("y", y).put("dwell", dwell);
    }

    static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
