package io.isotherm.db.page;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The normalization of page URLs as a table: each row a URL as sent and the page key it must give, or the problem
 * it must be refused with. The examples of RFC 3986 sections 5.2.4 and 6.2.2–6.2.3 come first.
 */
class PageUrlNormalizationTest {

    static Stream<Arguments> sameKey() {
        return Stream.of(
                // RFC 3986 6.2.2.1: scheme and host are case-insensitive; hex digits are upper case.
                arguments("HTTP://www.EXAMPLE.com/", "http://www.example.com/"),
                arguments("http://example.com/a%3ab", "http://example.com/a%3Ab"),
                // 6.2.2.2: unreserved characters are decoded, and nothing else is.
                arguments("http://example.com/%7Esmith", "http://example.com/~smith"),
                arguments("http://example.com/%7esmith", "http://example.com/~smith"),
                arguments("http://example.com/%41%62%63-%2D%2e%5F", "http://example.com/Abc--._"),
                arguments("http://example.com/a%2fb", "http://example.com/a%2Fb"),
                arguments("http://example.com/a%3Fb%23c", "http://example.com/a%3Fb%23c"),
                arguments("http://example.com/a%20b", "http://example.com/a%20b"),
                arguments("http://example.com/caf%c3%a9", "http://example.com/caf%C3%A9"),
                // 6.2.3: an empty path is "/", an empty or default port is dropped.
                arguments("http://example.com", "http://example.com/"),
                arguments("http://example.com:/", "http://example.com/"),
                arguments("http://example.com:80/", "http://example.com/"),
                arguments("http://example.com:0080/a", "http://example.com/a"),
                arguments("https://example.com:443/a", "https://example.com/a"),
                arguments("https://example.com:80/a", "https://example.com:80/a"),
                arguments("http://localhost:8081/a", "http://localhost:8081/a"),
                // 6.2.2.3 and 5.2.4: dot segments are removed, also where their dots were percent-encoded.
                arguments("http://example.com/a/b/c/./../../g", "http://example.com/a/g"),
                arguments("http://example.com/a/./b/../c", "http://example.com/a/c"),
                arguments("http://example.com/../../etc/passwd", "http://example.com/etc/passwd"),
                arguments("http://example.com/a/%2e%2E/b", "http://example.com/b"),
                arguments("http://example.com/a/%2E/b", "http://example.com/a/b"),
                arguments("http://example.com/a/..", "http://example.com/"),
                arguments("http://example.com/a/b/..", "http://example.com/a"),
                arguments("http://example.com/.", "http://example.com/"),
                arguments("http://example.com/./", "http://example.com/"),
                arguments("http://example.com/..", "http://example.com/"),
                arguments("http://example.com/a/.../b", "http://example.com/a/.../b"),
                arguments("http://example.com/a/..b/c.", "http://example.com/a/..b/c."),
                arguments("http://example.com//a//b", "http://example.com//a//b"),
                // What a URI may not hold is percent-encoded as UTF-8 (RFC 3987 3.1), as browsers do.
                arguments("http://example.com/café", "http://example.com/caf%C3%A9"),
                arguments("http://example.com/😀", "http://example.com/%F0%9F%98%80"),
                arguments("http://example.com/a|b^c`d{e}", "http://example.com/a%7Cb%5Ec%60d%7Be%7D"),
                arguments("http://example.com/a[1]\"<>", "http://example.com/a%5B1%5D%22%3C%3E"),
                arguments("http://example.com/a\\..\\b", "http://example.com/a%5C..%5Cb"),
                arguments("http://example.com/100%", "http://example.com/100%25"),
                arguments("http://example.com/50%zz", "http://example.com/50%25zz"),
                arguments("http://example.com/%4", "http://example.com/%254"),
                // Sub-delimiters, ':' and '@' are path characters and stay as they are.
                arguments("http://example.com/@:!$&'()*+,;=", "http://example.com/@:!$&'()*+,;="),
                // Query and fragment are not part of the page (no kept parameters); a trailing slash is not either.
                arguments("https://Shop.Example:443/Product/12/?utm_source=x#reviews", "https://shop.example/Product/12"),
                arguments("http://example.com/a#b/../../c", "http://example.com/a"),
                arguments("http://example.com?x", "http://example.com/"),
                arguments("http://example.com#x", "http://example.com/"),
                // Hosts: IP literals, a trailing dot.
                arguments("http://[2001:DB8::1]:8080/a", "http://[2001:db8::1]:8080/a"),
                arguments("http://[::1]/", "http://[::1]/"),
                arguments("http://127.0.0.1/a", "http://127.0.0.1/a"),
                arguments("http://EXAMPLE.com./a", "http://example.com./a"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("sameKey")
    void normalizes(String url, String key) {
        assertThat(PageUrl.normalize(url, List.of())).isEqualTo(key);
        assertThat(PageUrl.normalize(key, List.of())).as("a key is already normal").isEqualTo(key);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("https://user:secret@shop.example/", "must not contain a user name or password"),
                arguments("https://user@shop.example/", "must not contain a user name or password"),
                arguments("https://:@shop.example/", "must not contain a user name or password"),
                arguments("https://shop.example/a\uD800", "must be valid Unicode (it holds a lone surrogate)"),
                arguments("https://shop.example/\uDC00a", "must be valid Unicode (it holds a lone surrogate)"),
                arguments("https://shop.example/a#\uDBFF", "must be valid Unicode (it holds a lone surrogate)"),
                arguments("https://shop.example/a%C3", "must be UTF-8 where percent-encoded (%C3 is not)"),
                arguments("https://shop.example/caf%E9", "must be UTF-8 where percent-encoded (%E9 is not)"),
                arguments("https://shop.example/%C0%AF", "must be UTF-8 where percent-encoded (%C0%AF is not)"),
                arguments("https://shop.example/%ED%A0%80", "must be UTF-8 where percent-encoded (%ED%A0%80 is not)"),
                arguments("https://shop.example/a b", "must not contain spaces or control characters"),
                arguments("https://shop.example/a\nb", "must not contain spaces or control characters"),
                arguments("https://shop.example/a\u0085", "must not contain spaces or control characters"),
                arguments("https://exa mple.com/", "must not contain spaces or control characters"),
                arguments("ftp://shop.example/x", "must be an absolute http(s) URL"),
                arguments("javascript:alert(1)", "must be an absolute http(s) URL"),
                arguments("file:///etc/passwd", "must be an absolute http(s) URL"),
                arguments("data:text/html,hi", "must be an absolute http(s) URL"),
                arguments("/relative/path", "must be an absolute http(s) URL"),
                arguments("//shop.example/a", "must be an absolute http(s) URL"),
                arguments("https:shop.example/a", "must be an absolute http(s) URL"),
                arguments("https://", "must have a host name of ASCII letters, digits, '-' and '.' (punycode for international names) or an IP address"),
                arguments("https:///a", "must have a host name of ASCII letters, digits, '-' and '.' (punycode for international names) or an IP address"),
                arguments("https://ex%61mple.com/", "must have a host name of ASCII letters, digits, '-' and '.' (punycode for international names) or an IP address"),
                arguments("https://bücher.example/", "must have a host name of ASCII letters, digits, '-' and '.' (punycode for international names) or an IP address"),
                arguments("https://a..b/", "must have a host name of ASCII letters, digits, '-' and '.' (punycode for international names) or an IP address"),
                arguments("https://[::1/", "must have a host name of ASCII letters, digits, '-' and '.' (punycode for international names) or an IP address"),
                arguments("https://shop.example:99999/", "must have a port from 0 to 65535"),
                arguments("https://shop.example:8o/", "must have a port from 0 to 65535"),
                arguments("https://shop.example/" + "a".repeat(PageUrl.MAX_LENGTH), "must be at most 2048 characters"),
                arguments("https://shop.example/" + "é".repeat(400), "must be at most 2048 characters once percent-encoded"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("refused")
    void refuses(String url, String problem) {
        assertThatThrownBy(() -> PageUrl.normalize(url, List.of())).isInstanceOf(IllegalArgumentException.class).hasMessage(problem);
        assertThatThrownBy(() -> PageUrl.parse(url)).isInstanceOf(IllegalArgumentException.class).hasMessage(problem);
    }

    @Test
    void normalizes_kept_query_parameters_like_the_path_and_checks_only_what_it_keeps() {
        List<String> kept = List.of("id");
        assertThat(PageUrl.normalize("https://shop.example/item?%69d=3&utm=1", kept)).isEqualTo("https://shop.example/item?id=3");
        assertThat(PageUrl.normalize("https://shop.example/item?id=a%2fb%7e|", kept)).isEqualTo("https://shop.example/item?id=a%2Fb~%7C");
        assertThat(PageUrl.normalize("https://shop.example/item?q=caf%E9", List.of())).isEqualTo("https://shop.example/item");
        assertThatThrownBy(() -> PageUrl.normalize("https://shop.example/item?id=caf%E9", kept))
                .hasMessage("must be UTF-8 where percent-encoded (%E9 is not)");
    }

    @Test
    void parse_gives_the_url_to_load_in_normal_form_with_its_query() {
        assertThat(PageUrl.parse("HTTPS://Shop.example:443/a/./b/../c/?q=%7e1&r=caf%c3%a9#top"))
                .hasToString("https://shop.example/a/c/?q=~1&r=caf%C3%A9");
    }

    @Test
    void removes_dot_segments_as_rfc_3986_section_5_2_4_does() {
        assertThat(PageUrl.removeDotSegments("/a/b/c/./../../g")).isEqualTo("/a/g");
        assertThat(PageUrl.removeDotSegments("mid/content=5/../6")).isEqualTo("mid/6");
        assertThat(PageUrl.removeDotSegments("")).isEmpty();
        assertThat(PageUrl.removeDotSegments("/")).isEqualTo("/");
    }
}
