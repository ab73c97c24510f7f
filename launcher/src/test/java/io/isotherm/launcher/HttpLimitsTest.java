package io.isotherm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isotherm.testing.Chromium;
import io.isotherm.testing.SlowClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP server's limits on what one client may take: bodies that stall, trickle, end early or arrive in broken
 * chunks get a JSON 4xx and their connection closed, without a stack trace in the log; oversized headers get 431;
 * connections beyond the per-address limit are closed at once.
 */
class HttpLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEADLINE_SECONDS = 3;
    private static final int MAX_HEADER_BYTES = 4096;
    private static final int PER_ADDRESS = 20;

    @TempDir
    static Path dataDir;
    private static Platform platform;
    private static String key;
    private static CapturedLogs logs;

    @BeforeAll
    static void start() {
        platform = Platform.start(Settings.fromEnvironment(Map.of(
                "ISOTHERM_DATA_DIR", dataDir.toString(),
                "ISOTHERM_PORT", "0",
                "ISOTHERM_BIND_ADDRESS", "127.0.0.1",
                "ISOTHERM_ROLES", "collector,dashboard",
                "ISOTHERM_DASHBOARD_ACCESS", "local",
                "ISOTHERM_CAPTURE_WORKER", "false",
                "ISOTHERM_HTTP_BODY_DEADLINE_SECONDS", String.valueOf(DEADLINE_SECONDS),
                "ISOTHERM_HTTP_MIN_BODY_RATE", "1024",
                "ISOTHERM_HTTP_MAX_HEADER_BYTES", String.valueOf(MAX_HEADER_BYTES),
                "ISOTHERM_HTTP_MAX_CONNECTIONS_PER_ADDRESS", String.valueOf(PER_ADDRESS))));
        var added = Cli.run(dataDir, "site", "add", "--name", "Shop", "--origin", "https://shop.example", "--json");
        assertThat(added.exitCode()).as(added.err()).isZero();
        try {
            key = added.json().get("key").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        logs = CapturedLogs.start();
    }

    @AfterAll
    static void stop() {
        if (logs != null) logs.close();
        if (platform != null) platform.close();
    }

    @AfterEach
    void nothing_was_logged_as_an_error() {
        assertThat(logs.errorsAndStackTraces()).isEmpty();
    }

    @Test
    void a_body_shorter_than_its_content_length_gets_400_and_nothing_is_stored() throws Exception {
        String pageview = UUID.randomUUID().toString();
        byte[] body = batch(pageview).getBytes(StandardCharsets.UTF_8);
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(collectHead(body.length + 100).getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            socket.shutdownOutput(); // the client ends its side early: 100 bytes are missing

            Answer answer = Answer.read(socket);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.json().get("error").asText()).contains("Content-Length");
            assertThat(answer.closed()).isTrue();
        }
        assertThat(countRows("ingest_batch WHERE pageview_id = '" + pageview + "'")).isZero();
        assertThat(countRows("raw_event WHERE pageview_id = '" + pageview + "'")).isZero();
    }

    @Test
    void a_stalled_body_gets_408_before_the_deadline_and_its_connection_is_closed() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(collectHead(500).getBytes(StandardCharsets.ISO_8859_1));
            out.write("{\"site\":".getBytes(StandardCharsets.UTF_8));
            out.flush();
            long started = System.nanoTime();

            Answer answer = Answer.read(socket); // and then nothing more is sent
            long seconds = (System.nanoTime() - started) / 1_000_000_000;
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.json().get("error").asText()).contains("the request body");
            assertThat(answer.closed()).isTrue();
            assertThat(seconds).as("answered within the deadline").isLessThanOrEqualTo(DEADLINE_SECONDS);
        }
    }

    @Test
    void a_body_that_keeps_the_minimum_rate_but_never_ends_gets_408_at_the_deadline() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(collectHead(60_000).getBytes(StandardCharsets.ISO_8859_1));
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 30; i++) { // 2 KB every second: twice the minimum rate, for longer than the deadline
                        out.write(" ".repeat(2048).getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(1000);
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection: expected
                }
            });
            writer.setDaemon(true);
            writer.start();

            Answer answer = Answer.read(socket);
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.json().get("error").asText()).isEqualTo("the request body did not arrive within " + DEADLINE_SECONDS + " s");
            writer.interrupt();
        }
    }

    @Test
    void a_large_body_that_stalls_after_its_first_part_gets_408_from_the_route_reading_it() throws Exception {
        // Larger than what is read ahead of the route: the collector itself reads the rest (to answer 413) when it stalls.
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(collectHead(600_000).getBytes(StandardCharsets.ISO_8859_1));
            out.write(" ".repeat(300_000).getBytes(StandardCharsets.US_ASCII));
            out.flush();

            Answer answer = Answer.read(socket);
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.json().get("error").asText()).contains("the request body");
            assertThat(answer.closed()).isTrue();
        }
    }

    @Test
    void a_screenshot_upload_that_stalls_gets_408_and_stores_no_capture() throws Exception {
        assertThat(Http.collectOneClick(platform.port(), key).statusCode()).as("the page, created by its first visit").isEqualTo(202);
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/sites/" + key + "/captures/upload?page=https%3A%2F%2Fshop.example%2F&device=desktop HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nContent-Type: image/png\r\nContent-Length: 2000000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[300_000]); // more than is read ahead of the route: the upload reads the rest itself, and it never comes
            out.flush();

            Answer answer = Answer.read(socket);
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.json().get("error").asText()).contains("the request body");
        }
        assertThat(countRows("capture WHERE source = 'upload'")).isZero();
    }

    @Test
    void broken_chunked_encoding_gets_400_with_json() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/collect HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + Chromium.USER_AGENT
                    + "\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"sit\r\nnot-a-size\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();

            Answer answer = Answer.read(socket);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.json().get("error").asText()).isNotBlank();
        }
    }

    @Test
    void a_content_length_that_is_not_a_number_or_given_twice_differently_gets_400_with_json() throws Exception {
        for (String lengths : new String[]{"Content-Length: 12x\r\n", "Content-Length: 10\r\nContent-Length: 12\r\n"}) {
            try (Socket socket = connect()) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /api/collect HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + Chromium.USER_AGENT
                        + "\r\nContent-Type: text/plain\r\n" + lengths + "\r\n{\"site\":\"x\"}").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();

                Answer answer = Answer.read(socket);
                assertThat(answer.status()).as(lengths).isEqualTo(400);
                assertThat(answer.json().get("error").asText()).as(lengths).isNotBlank();
            }
        }
    }

    @Test
    void headers_larger_than_the_limit_get_431_and_a_long_uri_414() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "a".repeat(MAX_HEADER_BYTES)
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            Answer answer = Answer.read(socket);
            assertThat(answer.status()).isEqualTo(431);
            assertThat(answer.json().get("error").asText()).isEqualTo("the request headers exceed " + MAX_HEADER_BYTES + " bytes");
        }
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("GET /health?" + "a".repeat(MAX_HEADER_BYTES) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            Answer answer = Answer.read(socket);
            assertThat(answer.status()).isIn(414, 431);
            assertThat(answer.json().get("error").asText()).contains(String.valueOf(MAX_HEADER_BYTES));
        }
        assertThat(Http.get(platform.port(), "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void connections_beyond_the_limit_for_one_address_are_closed_while_other_addresses_are_served() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < PER_ADDRESS; i++) held.add(connect());
            // Each held connection is served: the limit counts connections, not requests.
            assertThat(healthOn(held.get(0))).isEqualTo(200);

            try (Socket refused = connect()) {
                assertThat(healthOrClosed(refused)).as("one connection too many from 127.0.0.1").isEqualTo(-1);
            }
            InetAddress other = SlowClients.loopbackAddresses(1).get(0);
            try (Socket elsewhere = new Socket()) {
                elsewhere.bind(new InetSocketAddress(other, 0));
                elsewhere.connect(new InetSocketAddress("127.0.0.1", platform.port()), 5000);
                elsewhere.setSoTimeout(10_000);
                assertThat(healthOn(elsewhere)).as("another address").isEqualTo(200);
            }

            held.remove(0).close();
            assertThat(eventuallyServed()).as("a place freed by a closed connection is taken again").isTrue();
        } finally {
            for (Socket socket : held) socket.close();
        }
    }

    private static boolean eventuallyServed() throws Exception {
        long until = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < until) {
            try (Socket socket = connect()) {
                if (healthOrClosed(socket) == 200) return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static int healthOn(Socket socket) throws IOException {
        int status = healthOrClosed(socket);
        assertThat(status).isNotEqualTo(-1);
        return status;
    }

    /** The status of GET /health on this connection (kept open), or -1 if the server closed it instead. */
    private static int healthOrClosed(Socket socket) throws IOException {
        try {
            socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            byte[] status = in.readNBytes(12);
            if (status.length < 12) return -1;
            // Read the rest of this answer, so the connection can carry the next request.
            StringBuilder head = new StringBuilder();
            int b;
            while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) head.append((char) b);
            var length = head.toString().lines().filter(l -> l.toLowerCase().startsWith("content-length:")).findFirst().orElseThrow();
            in.readNBytes(Integer.parseInt(length.substring(15).trim()));
            return Integer.parseInt(new String(status, StandardCharsets.ISO_8859_1).substring(9, 12));
        } catch (SocketException e) {
            return -1;
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", platform.port());
        socket.setSoTimeout(15_000);
        return socket;
    }

    private static String collectHead(int contentLength) {
        return "POST /api/collect HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + Chromium.USER_AGENT
                + "\r\nOrigin: https://shop.example\r\nContent-Type: text/plain\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    private static String batch(String pageview) {
        long now = System.currentTimeMillis();
        return """
                {"site":"%s","pageview":"%s","seq":0,"sentAt":%d,"url":"https://shop.example/",
                 "viewport":{"width":1280,"height":720},"document":{"width":1280,"height":2400},
                 "events":[{"kind":"click","t":%d,"x":100,"y":200,"selector":"#buy","boxX":0.5,"boxY":0.5,"interactive":true}]}
                """.formatted(key, pageview, now, now);
    }

    static long countRows(String table) throws Exception {
        int port = Integer.parseInt(java.nio.file.Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).trim());
        try (var c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", null);
             var rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A response read to the end of the connection: its status, body, and whether the server closed the connection. */
    record Answer(int status, String body, boolean closed) {
        static Answer read(Socket socket) throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            boolean closed;
            try {
                socket.getInputStream().transferTo(all); // returns when the server closes the connection
                closed = true;
            } catch (SocketException e) { // reset after the answer: closed too
                closed = true;
            }
            String text = all.toString(StandardCharsets.ISO_8859_1);
            assertThat(text).as("an HTTP answer").startsWith("HTTP/1.1 ");
            int split = text.indexOf("\r\n\r\n");
            return new Answer(Integer.parseInt(text.substring(9, 12)), text.substring(split + 4), closed);
        }

        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }
}
