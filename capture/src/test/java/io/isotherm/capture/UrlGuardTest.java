package io.isotherm.capture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Address classification and URL rules. Literals only (and localhost): no lookup leaves the machine. */
class UrlGuardTest {
    private static final UrlGuard PUBLIC_ONLY = new UrlGuard(List.of("https://shop.example"), false);
    private static final UrlGuard PRIVATE_ALLOWED = new UrlGuard(List.of("https://shop.example"), true);

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255",
            "192.168.1.1", "100.64.0.1", "100.127.255.255", "169.254.169.254", "169.254.0.1", "0.0.0.0", "0.1.2.3",
            "224.0.0.1", "239.255.255.250", "255.255.255.255", "::1", "::", "fc00::1", "fd12:3456:789a::1", "fe80::1",
            "ff02::1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:127.0.0.1", "::127.0.0.1", "64:ff9b::a9fe:a9fe"})
    void private_loopback_link_local_and_special_addresses_are_not_public(String literal) throws Exception {
        assertThat(UrlGuard.isPublic(InetAddress.getByName(literal))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "172.15.255.255", "100.128.0.1",
            "100.63.255.255", "192.169.0.1", "2001:4860:4860::8888", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"})
    void public_addresses_are_public(String literal) throws Exception {
        assertThat(UrlGuard.isPublic(InetAddress.getByName(literal))).isTrue();
    }

    /** Every special-purpose block, by an address inside it, with the name the table gives it. */
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "0.1.2.3|this network", "10.1.2.3|private", "100.64.0.1|shared address space (carrier-grade NAT)",
            "127.0.0.1|loopback", "169.254.169.254|link local", "172.16.0.1|private",
            "192.0.0.9|IETF protocol assignments", "192.0.2.55|documentation (TEST-NET-1)",
            "192.88.99.1|6to4 relay anycast (deprecated)", "192.168.1.1|private", "198.18.0.1|benchmarking",
            "198.19.255.255|benchmarking", "198.51.100.7|documentation (TEST-NET-2)", "203.0.113.9|documentation (TEST-NET-3)",
            "224.0.0.251|multicast", "240.0.0.1|reserved", "255.255.255.255|reserved",
            "::|unspecified", "::1|loopback", "64:ff9b:1::a|local-use IPv4/IPv6 translation", "100::1|discard-only",
            "2001::1|IETF protocol assignments (benchmarking, ORCHID, …)",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2|IETF protocol assignments (benchmarking, ORCHID, …)",
            "2001:2::1|IETF protocol assignments (benchmarking, ORCHID, …)", "2001:db8::1|documentation",
            "3fff::1|documentation", "5f00::1|segment routing (SRv6) SIDs", "fd00::1|unique local", "fe80::1|link local",
            "fec0::1|site local (deprecated)", "ff02::1|multicast",
            // IPv6 addresses carrying an IPv4 one are judged by it
            "::ffff:192.0.2.1|documentation (TEST-NET-1)", "64:ff9b::c633:6401|documentation (TEST-NET-2)",
            "2002:7f00:1::|loopback", "2002:c0a8:101::1|private", "2002:c612:1::|benchmarking"})
    void every_special_purpose_block_is_refused_and_named(String literal, String block) throws Exception {
        InetAddress address = InetAddress.getByName(literal);
        assertThat(SpecialAddresses.of(address)).isNotNull().extracting(SpecialAddresses.Block::name).isEqualTo(block);
        assertThat(UrlGuard.isPublic(address)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.3.1", "192.88.100.1", "198.17.255.255", "198.20.0.1", "198.51.101.1", "203.0.114.1",
            "223.255.255.255", "2001:200::1", "2001:db9::1", "3fff:1000::1", "2002:808:808::1", "64:ff9b:2::1"})
    void the_neighbours_of_special_blocks_are_public(String literal) throws Exception {
        assertThat(UrlGuard.isPublic(InetAddress.getByName(literal))).isTrue();
    }

    @Test
    void resources_may_come_from_public_addresses_data_and_blob_urls() {
        assertThat(PUBLIC_ONLY.allowsResource(URI.create("http://8.8.8.8/pixel.gif"))).isTrue();
        assertThat(PUBLIC_ONLY.allowsResource(URI.create("https://[2606:4700::1111]/lib.js"))).isTrue();
        assertThat(PUBLIC_ONLY.allowsResource(URI.create("data:image/png;base64,iVBORw0KGgo="))).isTrue();
        assertThat(PUBLIC_ONLY.allowsResource(URI.create("blob:https://shop.example/0d5a2c8e-9a43-4c1b-8a57-44f0c2a1e111"))).isTrue();
    }

    @Test
    void resources_on_private_addresses_are_refused_unless_allowed() {
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:5432/", "http://[::1]:8080/",
                "http://10.1.2.3/admin", "http://[fd00::1]/", "http://localhost:8080/", "http://0.0.0.0:80/")) {
            assertThat(PUBLIC_ONLY.allowsResource(URI.create(url))).as(url).isFalse();
            assertThat(PRIVATE_ALLOWED.allowsResource(URI.create(url))).as(url).isTrue();
        }
    }

    @Test
    void other_schemes_are_refused_even_with_private_addresses_allowed() {
        for (String url : List.of("file:///etc/passwd", "ftp://8.8.8.8/", "javascript:alert(1)", "chrome://settings",
                "ws://8.8.8.8/socket", "gopher://8.8.8.8/")) {
            assertThat(PUBLIC_ONLY.allowsResource(URI.create(url))).as(url).isFalse();
            assertThat(PRIVATE_ALLOWED.allowsResource(URI.create(url))).as(url).isFalse();
        }
    }

    @Test
    void page_must_be_on_an_allowed_origin() {
        UrlGuard guard = new UrlGuard(List.of("HTTPS://Shop.Example:443/", "http://shop.example:8080"), true);
        assertThatCode(() -> guard.checkPage(URI.create("https://shop.example/cart?x=1"))).doesNotThrowAnyException();
        assertThatCode(() -> guard.checkPage(URI.create("https://SHOP.example:443/"))).doesNotThrowAnyException();
        assertThatCode(() -> guard.checkPage(URI.create("http://shop.example:8080/"))).doesNotThrowAnyException();
        for (String url : List.of("http://shop.example/", "https://shop.example:8443/", "https://evil.shop.example/",
                "https://shop.example.evil.test/", "http://shop.example:8081/")) {
            assertThatThrownBy(() -> guard.checkPage(URI.create(url))).as(url)
                    .isInstanceOfSatisfying(CaptureFailure.class, f -> {
                        assertThat(f.reason()).isEqualTo(CaptureFailure.Reason.URL_REFUSED);
                        assertThat(f.getMessage()).contains(url, "is not on the site's origins");
                    });
        }
    }

    @Test
    void page_must_be_http() {
        UrlGuard guard = new UrlGuard(List.of("https://shop.example"), true);
        for (String url : List.of("ftp://shop.example/", "file:///etc/passwd", "data:text/html,hi")) {
            assertThatThrownBy(() -> guard.checkPage(URI.create(url))).as(url)
                    .isInstanceOfSatisfying(CaptureFailure.class, f -> assertThat(f.reason()).isEqualTo(CaptureFailure.Reason.URL_REFUSED));
        }
    }

    @Test
    void page_on_an_allowed_origin_is_refused_when_its_host_is_private() {
        for (String url : List.of("http://127.0.0.1:8080/", "http://localhost:8080/", "http://[::1]:8080/", "http://169.254.169.254/")) {
            URI uri = URI.create(url);
            UrlGuard guard = new UrlGuard(List.of(UrlGuard.origin(uri)), false);
            assertThatThrownBy(() -> guard.checkPage(uri)).as(url)
                    .isInstanceOfSatisfying(CaptureFailure.class, f -> {
                        assertThat(f.reason()).isEqualTo(CaptureFailure.Reason.URL_REFUSED);
                        assertThat(f.getMessage()).contains("private or loopback address");
                    });
            assertThatCode(() -> new UrlGuard(List.of(UrlGuard.origin(uri)), true).checkPage(uri)).doesNotThrowAnyException();
        }
    }
}
