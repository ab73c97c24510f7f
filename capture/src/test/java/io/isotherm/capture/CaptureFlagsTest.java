package io.isotherm.capture;

import io.isotherm.capture.FixtureServer.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** Captures that do not show the real page come back flagged, with a reason, instead of failing or passing silently. */
class CaptureFlagsTest {
    private static FixtureServer site;
    private static PageCapturer capturer;

    @BeforeAll
    static void serve() {
        site = FixtureServer.start("127.0.0.1")
                .route("/clean", Response.html("<title>Shoes</title><h1>Running shoes</h1><p>Light and fast.</p>"))
                .route("/gone", Response.html(404, "<title>Shop</title><h1>Nothing here</h1>"))
                .route("/busy", Response.empty(429))
                .route("/soft-404", Response.html("<title>Page not found</title><h1>Sorry</h1><p>Try the search.</p>"))
                .route("/account", Response.html("<title>Your account</title><form><input name=user>"
                        + "<input type=password name=pass><button>Log in</button></form>"))
                .route("/orders", Response.redirect("/login?next=/orders"))
                .route("/login", Response.html("<title>Welcome back</title><p>We e-mail you a sign-in link.</p>"))
                .route("/protected", Response.html(503, "<title>Just a moment...</title>"
                        + "<form id=\"challenge-form\" action=\"/\"></form><p>Checking your browser.</p>"))
                .route("/help", Response.html("<title>Help</title><p>Everything is fine. "
                        + "<input type=password style=\"display:none\"></p>"));
        capturer = new PageCapturer(CaptureSettings.defaults().withAllowPrivateAddresses(true));
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    private static Shot capture(String path) throws CaptureFailure {
        return capturer.capture(new CaptureTarget(URI.create(site.url(path)), site.origins(), "desktop", 1024));
    }

    @Test
    void clean_page_is_not_flagged() throws Exception {
        Shot shot = capture("/clean");
        assertThat(shot.flag()).isNull();
        assertThat(shot.flagReason()).isNull();
        assertThat(shot.httpStatus()).isEqualTo(200);
    }

    @Test
    void hidden_password_field_is_no_login_wall() throws Exception {
        assertThat(capture("/help").flag()).isNull();
    }

    @Test
    void not_found_status_is_an_http_error() throws Exception {
        Shot shot = capture("/gone");
        assertThat(shot.flag()).isEqualTo(Flag.HTTP_ERROR);
        assertThat(shot.httpStatus()).isEqualTo(404);
        assertThat(shot.flagReason()).isEqualTo("the server answered 404 Not Found");
        assertThat(shot.tiles()).isNotEmpty();
    }

    @Test
    void too_many_requests_with_an_empty_body_is_an_http_error() throws Exception {
        Shot shot = capture("/busy");
        assertThat(shot.flag()).isEqualTo(Flag.HTTP_ERROR);
        assertThat(shot.httpStatus()).isEqualTo(429);
        assertThat(shot.flagReason()).startsWith("the server answered 429");
        assertThat(shot.finalUrl()).isEqualTo(URI.create(site.url("/busy")));
    }

    @Test
    void page_titled_not_found_is_an_error_page() throws Exception {
        Shot shot = capture("/soft-404");
        assertThat(shot.flag()).isEqualTo(Flag.ERROR_PAGE);
        assertThat(shot.httpStatus()).isEqualTo(200);
        assertThat(shot.flagReason()).contains("Page not found");
    }

    @Test
    void password_field_is_a_login_wall() throws Exception {
        Shot shot = capture("/account");
        assertThat(shot.flag()).isEqualTo(Flag.LOGIN_WALL);
        assertThat(shot.flagReason()).contains("login form");
    }

    @Test
    void redirect_to_a_login_page_is_a_login_wall() throws Exception {
        Shot shot = capture("/orders");
        assertThat(shot.flag()).isEqualTo(Flag.LOGIN_WALL);
        assertThat(shot.finalUrl()).isEqualTo(URI.create(site.url("/login?next=/orders")));
        assertThat(shot.flagReason()).contains("/login");
    }

    @Test
    void cloudflare_challenge_is_a_bot_challenge_even_with_an_error_status() throws Exception {
        Shot shot = capture("/protected");
        assertThat(shot.flag()).isEqualTo(Flag.BOT_CHALLENGE);
        assertThat(shot.httpStatus()).isEqualTo(503);
        assertThat(shot.flagReason()).contains("Just a moment...");
    }
}
