package io.isotherm.launcher;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random values, any string, number or byte sequence, for a random parameter of a random GET route: never a 5xx,
 * and a 4xx is always a JSON error. ReadParameterExtremesTest walks the known extremes; this finds the unknown ones.
 */
class ReadParameterPropertiesTest {
    private static ReadEndpoints server;
    private static List<ReadEndpoints.Route> routes;

    @BeforeContainer
    static void start() throws Exception {
        server = ReadEndpoints.shared();
        routes = server.getRoutes().stream().filter(r -> r.path().startsWith("/api/")).toList();
    }

    @Property(tries = 200)
    void a_random_value_of_any_read_parameter_is_never_a_5xx(@ForAll("routeIndex") int routeIndex, @ForAll("parameter") String parameter,
                                                             @ForAll("encodedValue") String value) {
        ReadEndpoints.Route route = routes.get(routeIndex % routes.size());
        boolean inPath = route.pathParameters().contains(parameter);
        String request = inPath && !value.isEmpty()
                ? server.path(route, parameter, value) + ReadEndpoints.query(null, null)
                : server.path(route) + ReadEndpoints.query(parameter, value);

        RawHttp.Response answer = server.get(request);

        assertThat(answer.status()).as(request + " -> " + answer.body()).isLessThan(500);
        if (answer.status() >= 400) assertThat(answer.error()).as(request + " -> " + answer.body()).isNotEmpty();
    }

    @Provide
    Arbitrary<Integer> routeIndex() {
        return Arbitraries.integers().greaterOrEqual(0);
    }

    /** A query parameter the dashboard reads, or a path parameter (used in the path when the route has it). */
    @Provide
    Arbitrary<String> parameter() {
        return Arbitraries.of(Stream.concat(ReadParameterExtremesTest.QUERY_PARAMETERS.stream(),
                ReadEndpoints.PATH_PARAMETERS.stream()).distinct().toList());
    }

    /** Any Unicode text, any number, or any bytes (valid UTF-8 or not), percent-encoded for the wire. */
    @Provide
    Arbitrary<String> encodedValue() {
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(300).map(ReadEndpoints::encode);
        Arbitrary<String> number = Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(new java.math.BigInteger("-1" + "0".repeat(30)), new java.math.BigInteger("1" + "0".repeat(30))).map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf));
        Arbitrary<String> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(b -> {
            StringBuilder encoded = new StringBuilder();
            for (byte x : b) encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits(x));
            return encoded.toString();
        });
        return Arbitraries.oneOf(text, number, bytes);
    }
}
