package io.isotherm.capture;

import io.isotherm.capture.FixtureServer.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The capturer must not be talked into fetching what it should not: every refusal here is checked on the far side
 * too, by the hit counter of the server that must not be reached.
 */
class SsrfCaptureTest {
    /** The site. */
    private static FixtureServer site;
    /** Another origin (another port), which the main frame may not navigate to. */
    private static FixtureServer elsewhere;
    /** A private address, which subresources may not come from (127.0.0.2: loopback, but refused by the test guard). */
    private static FixtureServer internal;

    @BeforeAll
    static void serve() {
        elsewhere = FixtureServer.start("127.0.0.1")
                .route("/landing", Response.html("<title>Elsewhere</title>"))
                .route("/ok.png", Response.png(Images.solid(10, 10, Images.BLUE)));
        internal = FixtureServer.start("127.0.0.2")
                .route("/secret.png", Response.png(Images.solid(10, 10, Images.RED)));
        String other = elsewhere.url("/landing");
        String secret = internal.url("/secret.png");
        site = FixtureServer.start("127.0.0.1")
                .route("/", Response.html("<title>Home</title><p>Hello</p>"))
                .route("/moved", Response.redirect(other))
                .route("/scripted", Response.html("<title>Scripted</title><script>"
                        + "addEventListener('load', () => setTimeout(() => { location.href = '" + other + "?js'; }, 50));</script>"))
                .route("/refreshed", Response.html("<meta http-equiv=\"refresh\" content=\"0; url=" + other + "?meta\">"))
                .route("/embeds", Response.html("<title>Embeds</title>"
                        + "<img src=\"" + elsewhere.url("/ok.png") + "\">"
                        + "<img src=\"" + secret + "?img\">"
                        + "<iframe src=\"" + internal.url("/frame") + "\"></iframe>"
                        + "<script src=\"" + internal.url("/lib.js") + "\"></script>"
                        + "<link rel=\"stylesheet\" href=\"" + internal.url("/style.css") + "\">"
                        + "<script>fetch('" + internal.url("/api") + "').catch(() => {}); "
                        + "try { new WebSocket('" + internal.url("/socket").replace("http:", "ws:") + "'); } catch (e) {}</script>"));
    }

    @AfterAll
    static void stop() {
        site.close();
        elsewhere.close();
        internal.close();
    }

    private static Shot capture(String path) throws CaptureFailure {
        return new PageCapturer(CaptureSettings.defaults().withAllowPrivateAddresses(true))
                .capture(new CaptureTarget(URI.create(site.url(path)), site.origins(), "desktop", 1024));
    }

    private static void assertRefused(String path, String naming) {
        assertThatThrownBy(() -> capture(path)).isInstanceOfSatisfying(CaptureFailure.class, f -> {
            assertThat(f.reason()).isEqualTo(CaptureFailure.Reason.URL_REFUSED);
            assertThat(f.getMessage()).contains(naming, "is not on the site's origins");
        });
    }

    @Test
    void loopback_page_is_refused_before_any_browser_starts_when_private_addresses_are_not_allowed() {
        int before = site.totalHits();
        assertThatThrownBy(() -> new PageCapturer(CaptureSettings.defaults())
                .capture(new CaptureTarget(URI.create(site.url("/")), site.origins(), "desktop", 1024)))
                .isInstanceOfSatisfying(CaptureFailure.class, f -> {
                    assertThat(f.reason()).isEqualTo(CaptureFailure.Reason.URL_REFUSED);
                    assertThat(f.getMessage()).contains("127.0.0.1", "private or loopback");
                });
        assertThat(site.totalHits()).isEqualTo(before);
    }

    @Test
    void page_off_the_site_origins_is_refused() {
        int before = elsewhere.totalHits();
        assertThatThrownBy(() -> new PageCapturer(CaptureSettings.defaults().withAllowPrivateAddresses(true))
                .capture(new CaptureTarget(URI.create(elsewhere.url("/landing")), site.origins(), "desktop", 1024)))
                .isInstanceOfSatisfying(CaptureFailure.class, f -> assertThat(f.reason()).isEqualTo(CaptureFailure.Reason.URL_REFUSED));
        assertThat(elsewhere.totalHits()).isEqualTo(before);
    }

    @Test
    void redirect_to_another_origin_fails_the_capture_before_the_request_is_sent() {
        int before = elsewhere.hits("/landing");
        assertRefused("/moved", elsewhere.url("/landing"));
        assertThat(site.hits("/moved")).isPositive();
        assertThat(elsewhere.hits("/landing")).isEqualTo(before);
    }

    @Test
    void script_navigation_to_another_origin_fails_the_capture() {
        int before = elsewhere.hits("/landing");
        assertRefused("/scripted", elsewhere.url("/landing?js"));
        assertThat(elsewhere.hits("/landing")).isEqualTo(before);
    }

    @Test
    void meta_refresh_to_another_origin_fails_the_capture() {
        int before = elsewhere.hits("/landing");
        assertRefused("/refreshed", elsewhere.url("/landing?meta"));
        assertThat(elsewhere.hits("/landing")).isEqualTo(before);
    }

    @Test
    void subresources_from_refused_addresses_are_blocked_and_the_rest_loads() throws Exception {
        // Private addresses allowed except 127.0.0.2: the site stays reachable and the "internal" server stands for
        // the metadata service or an intranet host.
        UrlGuard guard = new UrlGuard(site.origins(), address -> !address.getHostAddress().equals("127.0.0.2"));
        int okBefore = elsewhere.hits("/ok.png");
        int internalBefore = internal.totalHits();
        Shot shot = new PageCapturer(CaptureSettings.defaults(), target -> guard)
                .capture(new CaptureTarget(URI.create(site.url("/embeds")), site.origins(), "desktop", 1024));
        assertThat(shot.flag()).isNull();
        assertThat(elsewhere.hits("/ok.png")).as("allowed image from another origin").isEqualTo(okBefore + 1);
        assertThat(internal.totalHits() - internalBefore).as("requests that reached the refused address: %s", internal.hitsByPath()).isZero();
    }

    @Test
    void the_same_page_reaches_the_internal_server_when_nothing_is_refused() throws Exception {
        // The control for the test above: the embeds do reach 127.0.0.2 unless the interception stops them.
        int before = internal.totalHits();
        Shot shot = new PageCapturer(CaptureSettings.defaults(), target -> new UrlGuard(List.of(site.origin()), true))
                .capture(new CaptureTarget(URI.create(site.url("/embeds")), site.origins(), "desktop", 1024));
        assertThat(shot.flag()).isNull();
        assertThat(internal.totalHits() - before).isGreaterThanOrEqualTo(5);
    }
}
