package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Read-API answers in the form the migration fixture keeps them, and the one comparison of a recorded answer with a
 * new one. Answers are kept whole, except a heatmap's grid, which would make the file hundreds of megabytes: its
 * {@code values} are kept as a SHA-256 of their exact bits and its {@code counts} as the list of non-zero cells.
 */
final class RecordedAnswers {
    static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Years after a recording, the clock of the dashboard that answers again: every question names its days, so no
     * answer may depend on today.
     */
    static final Clock LATER = Clock.fixed(Instant.parse("2031-06-15T12:00:00Z"), ZoneOffset.UTC);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RecordedAnswers() {
    }

    /** GET {@code pathAndQuery} from the server at {@code base}: {"status": …, "body": the recorded form}. */
    static ObjectNode fetch(String base, String pathAndQuery) {
        try {
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            ObjectNode answer = JSON.createObjectNode();
            answer.put("status", response.statusCode());
            String path = pathAndQuery.substring(0, pathAndQuery.indexOf('?') < 0 ? pathAndQuery.length() : pathAndQuery.indexOf('?'));
            if (response.statusCode() == 200 && path.endsWith("/heatmap.bin")) {
                answer.set("body", binaryHeatmap(response.body()));
            } else if (response.statusCode() == 200 && path.endsWith("/heatmap")) {
                answer.set("body", jsonHeatmap((ObjectNode) JSON.readTree(response.body())));
            } else {
                answer.set("body", JSON.readTree(response.body()));
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /*
     * The one intended change of issue 15: heatmap values are clamped to [0, 1] with no -0.0, where V11's smoothing could
     * leave tiny negative values and -0.0. So every value v is digested as max(v, 0), with -0.0 as 0, before and after
     * the migration: a new value must equal max(old value, 0) to the last bit; NaN stays NaN and differs.
     */
    private static double clamped(double v) {
        return v <= 0 ? 0.0 : v;
    }

    private static ObjectNode jsonHeatmap(ObjectNode body) {
        JsonNode values = body.remove("values");
        JsonNode counts = body.remove("counts");
        ByteBuffer bits = ByteBuffer.allocate(values.size() * Double.BYTES);
        for (JsonNode v : values) bits.putDouble(clamped(v.doubleValue()));
        body.put("cells", values.size());
        body.put("valuesSha256", sha256(bits.array()));
        if (counts != null) {
            int[] c = new int[counts.size()];
            for (int i = 0; i < c.length; i++) c[i] = counts.get(i).intValue();
            body.set("countsNonZero", nonZero(c));
        }
        return body;
    }

    /** heatmap.bin as docs/API.md lays it out: header length, JSON header, padding, float32 values, int32 counts. */
    private static ObjectNode binaryHeatmap(byte[] bytes) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = in.getInt();
        ObjectNode body = (ObjectNode) JSON.readTree(bytes, 4, headerLength);
        int start = (4 + headerLength + 3) / 4 * 4;
        int cells = (bytes.length - start) / 8;
        in.position(start);
        ByteBuffer bits = ByteBuffer.allocate(cells * Float.BYTES);
        for (int i = 0; i < cells; i++) bits.putFloat((float) clamped(in.getFloat()));
        int[] counts = new int[cells];
        for (int i = 0; i < cells; i++) counts[i] = in.getInt();
        body.put("cells", cells);
        body.put("valuesSha256", sha256(bits.array()));
        body.set("countsNonZero", nonZero(counts));
        return body;
    }

    /** [[cell, count], …] for the cells with a count. */
    private static ArrayNode nonZero(int[] counts) {
        ArrayNode cells = JSON.createArrayNode();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) cells.add(JSON.createArrayNode().add(i).add(counts[i]));
        }
        return cells;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Each recorded answer asked again of the server at {@code base}, two at a time (the machine has two cores): where
     * the new ones differ, prefixed with {@code when}, in the recorded order.
     */
    static List<String> differences(String base, List<Map.Entry<String, JsonNode>> recorded, String when) {
        return recorded.parallelStream().flatMap(r -> {
            List<String> found = new ArrayList<>();
            differences(r.getKey(), tiesByValue(r.getKey(), r.getValue()), fetch(base, r.getKey()), found);
            return found.stream().map(f -> when + ": " + f);
        }).toList();
    }

    /*
     * A recorded segments list (V20) gave values with as many page views each in no set order; the API now orders such
     * ties by value, so the recorded list is compared with its ties in that order. The API's answer is left as it is.
     */
    private static JsonNode tiesByValue(String pathAndQuery, JsonNode answer) {
        String path = pathAndQuery.substring(0, pathAndQuery.indexOf('?') < 0 ? pathAndQuery.length() : pathAndQuery.indexOf('?'));
        if (!path.endsWith("/segments") || !answer.path("body").path("segments").isObject()) return answer;
        JsonNode copy = answer.deepCopy();
        ObjectNode dimensions = (ObjectNode) copy.get("body").get("segments");
        List<String> names = new ArrayList<>();
        dimensions.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            List<JsonNode> values = new ArrayList<>();
            dimensions.get(name).forEach(values::add);
            values.sort(Comparator.comparingLong((JsonNode v) -> -v.get("pageviews").longValue()).thenComparing(v -> v.get("value").asText()));
            ArrayNode sorted = JSON.createArrayNode();
            values.forEach(sorted::add);
            dimensions.set(name, sorted);
        }
        return copy;
    }

    /**
     * Where {@code actual} differs from {@code recorded}: every field of a recorded object must be in the actual one with
     * an equal value (fields added to an answer later are ignored), arrays must be as long and equal element by element,
     * numbers equal in value (1 equals 1.0, nothing is rounded).
     */
    static void differences(String at, JsonNode recorded, JsonNode actual, List<String> out) {
        if (actual == null || actual.isMissingNode()) {
            out.add(at + ": missing, recorded " + abbreviated(recorded));
        } else if (recorded.isObject()) {
            if (!actual.isObject()) {
                out.add(at + ": recorded an object, got " + abbreviated(actual));
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = recorded.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                differences(at + "." + field.getKey(), field.getValue(), actual.get(field.getKey()), out);
            }
        } else if (recorded.isArray()) {
            if (!actual.isArray() || actual.size() != recorded.size()) {
                out.add(at + ": recorded " + abbreviated(recorded) + ", got " + abbreviated(actual));
                return;
            }
            for (int i = 0; i < recorded.size(); i++) differences(at + "[" + i + "]", recorded.get(i), actual.get(i), out);
        } else if (recorded.isNumber()) {
            if (!actual.isNumber() || recorded.decimalValue().compareTo(actual.decimalValue()) != 0) {
                out.add(at + ": recorded " + recorded + ", got " + actual);
            }
        } else if (!recorded.equals(actual)) {
            out.add(at + ": recorded " + recorded + ", got " + actual);
        }
    }

    private static String abbreviated(JsonNode node) {
        String text = String.valueOf(node);
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
