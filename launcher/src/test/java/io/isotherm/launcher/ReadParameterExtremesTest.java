package io.isotherm.launcher;

import io.isotherm.db.segment.SegmentFilter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every query and path parameter of every GET route, with values from the ends of every range and beyond: dates
 * PostgreSQL or Java cannot hold, numbers past every integer type, empty, very long, non-ASCII and broken
 * percent-encodings. No answer is a 5xx; every 4xx is a JSON error, and where the request without the extreme value
 * succeeds, the error names the parameter.
 */
class ReadParameterExtremesTest {
    /** What the dashboard's read routes take in their query strings (docs/API.md); checked against the source below. */
    static final List<String> QUERY_PARAMETERS = Stream.concat(Stream.of(
            "page", "device", "kind", "sigma", "raw", "from", "to", "q", "sort", "order", "limit", "offset", "token",
            "map", "format", "table", "palette", "scale", "grid", "metric", "pages", "pattern"),
            SegmentFilter.DIMENSIONS.stream()).toList();

    /** Dates beyond PostgreSQL's date (5874897 AD), Java's LocalDate (±999999999), four digits and the calendar. */
    static final List<String> DATES = List.of("+5874898-01-01", "-999999999-01-01", "+999999999-12-31", "5874897-12-31",
            "0000-01-01", "-0001-12-31", "10000-01-01", "1969-12-31", "9999-12-31", "2026-02-30", "2026-13-01", "2026-1-1", "20260101");
    /** Numbers past every integer type, and what is not a number. */
    static final List<String> NUMBERS = List.of("-1", "-0", "2147483648", "-2147483649", "9223372036854775808", "1" + "0".repeat(40),
            "1e309", "-1e309", "NaN", "Infinity", "0x1F", "1.5", "1,5", " 7 ");
    /** Text every parameter gets. */
    static final List<String> STRINGS = List.of("", " ", "Ünïcødé 日本語 🔥", "a".repeat(4000), "'; DROP TABLE page; --", "../../etc/passwd", "null");
    /** Already percent-encoded as they go on the wire: NUL, lone surrogates in UTF-8, cut-off and overlong sequences, bad escapes. */
    static final List<String> ENCODINGS = List.of("%00", "a%00b", "%ED%A0%80", "%ED%B0%80", "%F0%9F%98", "%C0%AF", "%uD800", "%zz", "%");

    static ReadEndpoints server;

    @BeforeAll
    static void start() throws Exception {
        server = ReadEndpoints.shared();
    }

    /**
     * The values a parameter is walked with, encoded for the wire: every one gets the strings and broken encodings;
     * dates and numbers in full go to the parameters that parse them, a few of each to the rest (to them, text).
     */
    static List<String> extremes(String parameter) {
        List<String> values = new ArrayList<>();
        boolean date = List.of("from", "to").contains(parameter);
        boolean number = List.of("sigma", "limit", "offset", "id", "tile").contains(parameter);
        Stream.of(date || number ? NUMBERS : NUMBERS.subList(0, 5), date ? DATES : DATES.subList(0, 2), STRINGS)
                .flatMap(List::stream).map(ReadEndpoints::encode).forEach(values::add);
        values.addAll(ENCODINGS);
        return values;
    }

    @Test
    void every_query_parameter_of_every_get_route_answers_extremes_below_500_and_names_itself_when_refused() {
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (ReadEndpoints.Route route : server.getRoutes()) {
            String path = server.path(route);
            int baseline = server.get(path + ReadEndpoints.query(null, null)).status();
            // Pages, /health, /metrics and /t.js read no query parameter: each value once, under a name of its own.
            for (String parameter : route.path().startsWith("/api/") ? QUERY_PARAMETERS : List.of("x")) {
                for (String value : extremes(parameter)) {
                    String request = path + ReadEndpoints.query(parameter, value);
                    RawHttp.Response answer = server.get(request);
                    requests++;
                    check(failures, request, answer, baseline < 300 ? parameter : null);
                }
            }
        }
        assertThat(requests).isGreaterThan(1000);
        assertThat(failures).as(failures.size() + " bad answers").isEmpty();
    }

    @Test
    void every_path_parameter_of_every_get_route_answers_extremes_below_500_with_a_json_error() {
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (ReadEndpoints.Route route : server.getRoutes()) {
            for (String parameter : route.pathParameters()) {
                for (String value : extremes(parameter)) {
                    if (value.isEmpty()) continue; // an empty segment is another route
                    String request = server.path(route, parameter, value) + ReadEndpoints.query(null, null);
                    RawHttp.Response answer = server.get(request);
                    requests++;
                    check(failures, request, answer, null);
                }
            }
        }
        assertThat(requests).isGreaterThan(200);
        assertThat(failures).as(failures.size() + " bad answers").isEmpty();
    }

    /**
     * The ids and keys in the paths of changes, too. Safe on the shared platform: with one parameter out of range,
     * a request names nothing that exists, so it changes nothing.
     */
    @Test
    void every_path_parameter_of_every_change_answers_extremes_below_500_with_a_json_error() {
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
            for (ReadEndpoints.Route route : server.routes(method)) {
                for (String parameter : route.pathParameters()) {
                    for (String value : extremes(parameter)) {
                        if (value.isEmpty()) continue;
                        String request = server.path(route, parameter, value);
                        RawHttp.Response answer = server.send(method, request);
                        requests++;
                        check(failures, method + " " + request, answer, null);
                    }
                }
            }
        }
        assertThat(requests).isGreaterThan(200);
        assertThat(failures).as(failures.size() + " bad answers").isEmpty();
    }

    @Test
    void ranges_at_either_end_of_the_dates_allowed_are_answered_by_every_report() {
        List<String> failures = new ArrayList<>();
        for (ReadEndpoints.Route route : server.getRoutes()) {
            if (!route.path().startsWith("/api/sites/{site}/")) continue;
            String path = server.path(route);
            int baseline = server.get(path + ReadEndpoints.query(null, null)).status();
            for (String range : List.of("&from=9999-12-01&to=9999-12-31", "&to=9999-12-31", "&from=1970-01-01&to=1970-01-31", "&to=1970-01-01")) {
                RawHttp.Response answer = server.get(path + ReadEndpoints.query(null, null) + range);
                if (answer.status() != baseline) failures.add(route + range + " -> " + answer.status() + " " + answer.body());
            }
        }
        assertThat(failures).isEmpty();
    }

    /** The walk must know every parameter the dashboard reads, or a new one would go untested. */
    @Test
    void the_walk_knows_every_parameter_the_dashboard_reads() throws IOException {
        Pattern read = Pattern.compile("(?:optional|queryParam|pathParam|oneOf|integer|PathIds\\.of\\(ctx,|id\\(ctx,)\\(?\\s*\"(\\w+)\"");
        Set<String> names = new TreeSet<>();
        Path sources = Path.of("..", "dashboard", "src", "main", "java");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = read.matcher(Files.readString(file));
                while (m.find()) names.add(m.group(1));
            }
        }
        assertThat(names).contains("page", "from", "tile");
        Set<String> known = new TreeSet<>(QUERY_PARAMETERS);
        known.addAll(ReadEndpoints.PATH_PARAMETERS);
        assertThat(known).containsAll(names);
    }

    private static void check(List<String> failures, String request, RawHttp.Response answer, String parameter) {
        int status = answer.status();
        String what = request.length() > 160 ? request.substring(0, 160) + "…" : request;
        if (status >= 500) {
            failures.add(what + " -> " + status + " " + answer.body());
        } else if (status >= 400) {
            String error = answer.error();
            if (error.isEmpty()) {
                failures.add(what + " -> " + status + " without a JSON error: " + answer.body());
            } else if (parameter != null && !parameter.equals(answer.json().path("field").asText())) {
                failures.add(what + " -> " + status + " not naming " + parameter + ": " + answer.body());
            }
        }
    }
}
