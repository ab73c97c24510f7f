package io.isotherm.launcher;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole platform with one site, one page with a click and one queued capture, and every GET route it serves,
 * walked by a signed-in administrator (who may read everything). For the tests that throw extreme and random values
 * at every read parameter: routes come from the server, so a new endpoint is walked without a change here.
 */
final class ReadEndpoints implements AutoCloseable {
    static final String PAGE = "https://shop.example/";
    /** The query parameters a baseline request carries: each valid, so a refusal is the walked parameter's doing. */
    static final Map<String, String> BASELINE = Map.of("page", PAGE, "device", "desktop", "kind", "click", "format", "csv");
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{(\\w+)}|<(\\w+)>");

    final Platform platform;
    final int port;
    final Team.Member admin;
    final String site;
    final long captureId;
    final long groupId;

    /** A GET route: its path as registered ({@code /api/sites/{site}/captures/{id}}). */
    record Route(String path) {
        List<String> pathParameters() {
            Matcher m = PATH_PARAMETER.matcher(path);
            return m.results().map(r -> r.group(1) != null ? r.group(1) : r.group(2)).toList();
        }

        @Override
        public String toString() {
            return "GET " + path;
        }
    }

    private ReadEndpoints(Platform platform, Team.Member admin, String site, long captureId, long groupId) {
        this.platform = platform;
        this.port = platform.port();
        this.admin = admin;
        this.site = site;
        this.captureId = captureId;
        this.groupId = groupId;
    }

    private static ReadEndpoints shared;

    /**
     * One platform for every test class of this JVM that only reads (its requests change nothing), stopped when the
     * JVM exits: starting a platform with its own embedded PostgreSQL costs seconds.
     */
    static synchronized ReadEndpoints shared() throws Exception {
        if (shared == null) {
            Path dataDir = Files.createTempDirectory("isotherm-read-endpoints");
            ReadEndpoints started = start(dataDir);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                try (Stream<Path> files = Files.walk(dataDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // a temporary directory left behind
                }
            }));
            shared = started;
        }
        return shared;
    }

    private static ReadEndpoints start(Path dataDir) throws Exception {
        Platform platform = Platform.start(Settings.fromEnvironment(Map.of(
                "ISOTHERM_DATA_DIR", dataDir.toString(), "ISOTHERM_PORT", "0", "ISOTHERM_BIND_ADDRESS", "127.0.0.1",
                "ISOTHERM_CAPTURE_WORKER", "false")));
        try {
            Team team = new Team(platform.port());
            Team.Member admin = team.setUpAdministrator("admin@example.com");
            String site = team.site(admin, "Shop", "https://shop.example");
            var collected = Http.collectOneClick(platform.port(), site);
            if (collected.statusCode() != 202) throw new AssertionError("collect: " + collected.statusCode() + " " + collected.body());
            var queued = team.send(admin, "POST", "/api/sites/" + site + "/captures", "{\"url\":\"" + PAGE + "\",\"devices\":[\"desktop\"]}");
            if (queued.status() != 202) throw new AssertionError("capture: " + queued.status() + " " + queued.body());
            long captureId = queued.json().get("captures").get(0).get("id").asLong();
            // A page group of the page, so that the group's reports answer 200 before their parameters are walked.
            var group = team.send(admin, "POST", "/api/sites/" + site + "/groups", "{\"name\":\"Home\",\"pattern\":\"/\"}");
            if (group.status() != 201) throw new AssertionError("group: " + group.status() + " " + group.body());
            return new ReadEndpoints(platform, admin, site, captureId, group.json().get("id").asLong());
        } catch (Exception | Error e) {
            platform.close();
            throw e;
        }
    }

    /** Every GET route of the server. */
    List<Route> getRoutes() {
        return routes("GET");
    }

    /** Every route of the server answering {@code method}. */
    List<Route> routes(String method) {
        return platform.routes().stream().filter(r -> r.method().equals(method)).map(r -> new Route(r.path())).distinct().toList();
    }

    /** The route's path with every parameter valid, except {@code name}, set to the (already encoded) {@code value}. */
    String path(Route route, String name, String encodedValue) {
        Map<String, String> values = new LinkedHashMap<>(Map.of("site", site, "id", Long.toString(captureId), "tile", "0",
                "token", "no-such-link", "path", "style.css", "group", Long.toString(groupId)));
        if (name != null) values.put(name, encodedValue);
        Matcher m = PATH_PARAMETER.matcher(route.path());
        StringBuilder path = new StringBuilder();
        while (m.find()) {
            String parameter = m.group(1) != null ? m.group(1) : m.group(2);
            String value = values.get(parameter);
            if (value == null) throw new AssertionError("no valid value known for {" + parameter + "} of " + route);
            m.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        return m.appendTail(path).toString();
    }

    String path(Route route) {
        return path(route, null, null);
    }

    /** The baseline query with {@code name} set to the (already encoded) {@code value}, or only the baseline. */
    static String query(String name, String encodedValue) {
        Map<String, String> query = new LinkedHashMap<>();
        BASELINE.forEach((k, v) -> query.put(k, encode(v)));
        if (name != null) query.put(name, encodedValue);
        StringBuilder text = new StringBuilder();
        query.forEach((k, v) -> text.append(text.isEmpty() ? "?" : "&").append(k).append('=').append(v));
        return text.toString();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * A GET as the signed-in administrator; the path is sent as it is, malformed escapes and all. Over one kept-alive
     * connection: the walks send thousands.
     */
    synchronized RawHttp.Response get(String pathAndQuery) {
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nCookie: " + admin.cookie()
                + "\r\nSec-Fetch-Site: same-origin\r\n\r\n";
        for (int attempt = 0; ; attempt++) {
            try {
                if (connection == null) connection = new KeptAlive(port);
                RawHttp.Response answer = connection.exchange(request.getBytes(StandardCharsets.ISO_8859_1));
                if (!connection.open) {
                    connection.close();
                    connection = null;
                }
                return answer;
            } catch (IOException e) {
                connection.close();
                connection = null;
                if (attempt > 0) throw new java.io.UncheckedIOException("GET " + pathAndQuery, e);
                // the server closed the connection after its last answer: once more on a new one
            }
        }
    }

    private KeptAlive connection;

    /** One HTTP/1.1 connection used for request after request, until the server closes it. */
    private static final class KeptAlive implements AutoCloseable {
        private final Socket socket;
        private final BufferedInputStream in;
        /** False once the server said it closes the connection after this answer. */
        boolean open = true;

        KeptAlive(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream());
        }

        RawHttp.Response exchange(byte[] request) throws IOException {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            String statusLine = line();
            if (statusLine.isEmpty()) throw new IOException("connection closed");
            Map<String, String> headers = new LinkedHashMap<>();
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                headers.merge(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
            var body = new ByteArrayOutputStream();
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int size; (size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0; line()) body.write(in.readNBytes(size));
                line();
            } else if (headers.containsKey("content-length")) {
                body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
            } else {
                body.write(in.readAllBytes());
                open = false;
            }
            if ("close".equalsIgnoreCase(headers.get("connection"))) open = false;
            return new RawHttp.Response(Integer.parseInt(statusLine.split(" ")[1]), headers, body.toString(StandardCharsets.UTF_8));
        }

        private String line() throws IOException {
            var line = new ByteArrayOutputStream();
            for (int b; (b = in.read()) != -1 && b != '\n'; ) if (b != '\r') line.write(b);
            return line.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** Any other method, as the administrator's browser sends it: CSRF token, same origin, an empty JSON object. */
    RawHttp.Response send(String method, String path) {
        return RawHttp.send("127.0.0.1", port, method, path, "{}", "Cookie", admin.cookie(), "X-CSRF-Token", admin.csrf(),
                "Sec-Fetch-Site", "same-origin", "Content-Type", "application/json");
    }

    /** Path parameters every route may have; {@link #path} knows a valid value for each. */
    static final Set<String> PATH_PARAMETERS = Set.of("site", "id", "tile", "token", "path", "group");

    @Override
    public void close() {
        platform.close();
    }
}
