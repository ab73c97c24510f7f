package io.isotherm.launcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * Every route the platform registers, against every kind of caller. A route added without an access rule fails
 * {@link #every_route_has_a_rule_or_is_a_public_collector_route}; each other test walks all routes of a kind.
 */
class AuthorizationMatrixTest {
    /** The platform's routes that are public on purpose: what visitors' browsers and monitoring call. */
    private static final Set<String> PUBLIC_PLATFORM_ROUTES = Set.of(
            "GET /health", "GET /metrics", "GET /t.js", "POST /api/collect", "OPTIONS /api/collect");
    private static final Set<String> VERBS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");

    @TempDir
    static Path dataDir;
    static Platform platform;
    static int port;
    static Team team;
    static Team.Member admin;
    static Team.Member owner;
    static Team.Member viewer;
    static Team.Member stranger;
    static String shop;
    static String blog;

    private record Route(String method, String path, String rule) {
        boolean page() {
            return !path.startsWith("/api/");
        }

        boolean change() {
            return CHANGES.contains(method);
        }

        /** Signing out is tested on its own: a walk that called it would sign its caller out halfway. */
        boolean signsOut() {
            return path.equals("/api/logout");
        }

        /** The path with its parameters filled in: the shop for {site}, ids that exist nowhere. */
        String on(String site) {
            return path.replace("{site}", site).replace("{id}", "999999").replace("{group}", "999999").replace("{token}", "no-such-link")
                    .replace("{tile}", "0").replace("<path>", "style.css");
        }
    }

    @BeforeAll
    static void start() throws Exception {
        platform = Platform.start(Settings.fromEnvironment(Map.of(
                "ISOTHERM_DATA_DIR", dataDir.toString(), "ISOTHERM_PORT", "0", "ISOTHERM_BIND_ADDRESS", "127.0.0.1",
                "ISOTHERM_CAPTURE_WORKER", "false",
                "ISOTHERM_LOGIN_ATTEMPTS_PER_ACCOUNT", "1000", "ISOTHERM_LOGIN_ATTEMPTS_PER_ADDRESS", "1000")));
        port = platform.port();
        team = new Team(port);
        admin = team.setUpAdministrator("admin@example.com");
        shop = team.site(admin, "Shop", "https://shop.example");
        blog = team.site(admin, "Blog", "https://blog.example");
        owner = team.invite(admin, shop, "owner@example.com", "owner");
        viewer = team.invite(owner, shop, "viewer@example.com", "viewer");
        stranger = team.invite(admin, blog, "stranger@example.com", "owner");
    }

    @AfterAll
    static void stop() {
        if (platform != null) platform.close();
    }

    private static List<Route> dashboardRoutes() {
        List<Route> routes = new ArrayList<>();
        for (Platform.Route route : platform.routes()) {
            if (!VERBS.contains(route.method()) || route.rules().isEmpty()) continue;
            assertThat(route.rules()).as(route.method() + " " + route.path()).hasSize(1);
            routes.add(new Route(route.method(), route.path(), route.rules().iterator().next()));
        }
        return routes;
    }

    private static List<Route> routes(String... rules) {
        return dashboardRoutes().stream().filter(r -> List.of(rules).contains(r.rule())).toList();
    }

    @Test
    void every_route_has_a_rule_or_is_a_public_collector_route() {
        List<String> unruled = new ArrayList<>();
        for (Platform.Route route : platform.routes()) {
            if (!VERBS.contains(route.method()) && !route.method().equals("OPTIONS")) continue;
            String name = route.method() + " " + route.path();
            if (route.rules().isEmpty() && !PUBLIC_PLATFORM_ROUTES.contains(name)) unruled.add(name);
        }
        assertThat(unruled).as("routes without an access rule").isEmpty();
        // The walk below covers a real route table: every kind of rule is there.
        assertThat(dashboardRoutes()).extracting(Route::rule).contains("PUBLIC", "SIGNED_IN", "ADMIN", "SITE_READ", "SITE_WRITE", "SHARED");
        assertThat(dashboardRoutes()).hasSizeGreaterThan(40);
    }

    @Test
    void anonymous_callers_are_sent_to_sign_in_or_answered_401() throws IOException {
        assertSoftly(soft -> {
            for (Route route : dashboardRoutes()) {
                RawHttp.Response answer = anonymous(route);
                String name = route.method() + " " + route.path();
                if (route.rule().equals("PUBLIC")) {
                    soft.assertThat(answer.status()).as(name).isNotIn(401, 302, 403);
                } else if (route.rule().equals("SHARED")) { // no sign-in: a link that does not exist is an unknown URL
                    soft.assertThat(answer.status()).as(name).isEqualTo(404);
                    soft.assertThat(answer.body()).as(name).isEqualTo(unknownUrl(route.on(shop)).body());
                } else if (route.page()) {
                    soft.assertThat(answer.status()).as(name).isEqualTo(302);
                    soft.assertThat(answer.header("Location")).as(name).startsWith("/login?next=");
                } else {
                    soft.assertThat(answer.status()).as(name).isEqualTo(401);
                }
            }
        });
    }

    @Test
    void a_member_of_another_site_gets_404_as_for_a_site_that_does_not_exist() throws IOException {
        assertSoftly(soft -> {
            for (Route route : routes("SITE_READ", "SITE_WRITE")) {
                String name = route.method() + " " + route.path();
                RawHttp.Response foreign = team.send(stranger, route.method(), route.on(shop), "{}");
                RawHttp.Response missing = team.send(stranger, route.method(), route.on("nosuchsite2345678"), "{}");
                soft.assertThat(foreign.status()).as(name).isEqualTo(404);
                soft.assertThat(foreign.body()).as(name).isEqualTo(missing.body());
            }
        });
    }

    @Test
    void a_viewer_reads_the_site_but_gets_403_on_changes_and_administration() throws IOException {
        assertSoftly(soft -> {
            for (Route route : routes("SITE_WRITE", "ADMIN")) {
                RawHttp.Response answer = team.send(viewer, route.method(), route.on(shop), "{}");
                soft.assertThat(answer.status()).as(route.method() + " " + route.path()).isEqualTo(403);
            }
            for (Route route : routes("SITE_READ", "SIGNED_IN")) {
                if (route.signsOut()) continue;
                RawHttp.Response answer = team.send(viewer, route.method(), route.on(shop), "{}");
                soft.assertThat(answer.status()).as(route.method() + " " + route.path()).isNotIn(401, 403);
                soft.assertThat(answer.error()).as(route.method() + " " + route.path()).isNotEqualTo("unknown site");
            }
        });
        // … and nothing of the shop changed on the way.
        var site = team.send(owner, "GET", "/api/sites/" + shop, null);
        assertThat(site.json().get("name").asText()).isEqualTo("Shop");
    }

    @Test
    void an_owner_passes_the_site_rules_of_their_site() throws IOException {
        assertSoftly(soft -> {
            for (Route route : routes("SITE_READ", "SITE_WRITE")) {
                RawHttp.Response answer = team.send(owner, route.method(), route.on(shop), "{}");
                soft.assertThat(answer.status()).as(route.method() + " " + route.path()).isNotIn(401, 403);
                soft.assertThat(answer.error()).as(route.method() + " " + route.path()).isNotEqualTo("unknown site");
            }
        });
    }

    @Test
    void revoked_and_unknown_tokens_get_401_and_a_read_only_token_changes_nothing() throws IOException {
        String revoked = team.token(owner, shop, "write");
        var tokens = team.send(owner, "GET", "/api/me/tokens", null).json().get("tokens");
        long revokedId = tokens.get(0).get("id").asLong();
        assertThat(team.send(owner, "DELETE", "/api/me/tokens/" + revokedId, null).status()).isEqualTo(204);
        String readOnly = team.token(owner, shop, "read");
        String blogOnly = team.token(admin, blog, "write");
        assertSoftly(soft -> {
            for (Route route : routes("SIGNED_IN", "ADMIN", "SITE_READ", "SITE_WRITE")) {
                if (route.page()) continue;
                String name = route.method() + " " + route.path();
                soft.assertThat(bearer(route, revoked).status()).as(name + " revoked").isEqualTo(401);
                soft.assertThat(bearer(route, "isot_not-a-token").status()).as(name + " unknown").isEqualTo(401);
                if (route.change()) soft.assertThat(bearer(route, readOnly).status()).as(name + " read-only").isEqualTo(403);
                if (route.rule().startsWith("SITE")) soft.assertThat(bearer(route, blogOnly).status()).as(name + " other site").isEqualTo(404);
            }
        });
        // A working token reads: the proof that 401 above is about the token, not the route.
        var pages = RawHttp.send("127.0.0.1", port, "GET", "/api/sites/" + shop + "/pages", null, "Authorization", "Bearer " + readOnly);
        assertThat(pages.status()).isEqualTo(200);
    }

    @Test
    void changes_without_the_csrf_token_or_from_another_site_are_refused() throws IOException {
        assertSoftly(soft -> {
            for (Route route : dashboardRoutes()) {
                if (!route.change()) continue;
                String name = route.method() + " " + route.path();
                RawHttp.Response crossSite = RawHttp.send("127.0.0.1", port, route.method(), route.on(shop), "{}",
                        "Cookie", admin.cookie(), "X-CSRF-Token", admin.csrf(), "Content-Type", "application/json",
                        "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example");
                soft.assertThat(crossSite.status()).as(name + " cross-site").isEqualTo(403);
                RawHttp.Response foreignOrigin = RawHttp.send("127.0.0.1", port, route.method(), route.on(shop), "{}",
                        "Cookie", admin.cookie(), "X-CSRF-Token", admin.csrf(), "Content-Type", "application/json",
                        "Origin", "https://evil.example");
                soft.assertThat(foreignOrigin.status()).as(name + " foreign Origin").isEqualTo(403);
                if (route.rule().equals("PUBLIC")) continue;
                RawHttp.Response noToken = RawHttp.send("127.0.0.1", port, route.method(), route.on(shop), "{}",
                        "Cookie", admin.cookie(), "Content-Type", "application/json", "Sec-Fetch-Site", "same-origin");
                soft.assertThat(noToken.status()).as(name + " without CSRF token").isEqualTo(403);
                soft.assertThat(noToken.json().path("field").asText()).as(name).isEqualTo("X-CSRF-Token");
            }
        });
        assertThat(team.send(admin, "GET", "/api/sites", null).json().get("sites")).hasSize(2); // nothing was made or removed
    }

    @Test
    void a_foreign_host_name_is_refused_and_every_answer_carries_the_security_headers() throws IOException {
        assertSoftly(soft -> {
            for (Route route : dashboardRoutes()) {
                String name = route.method() + " " + route.path();
                RawHttp.Response rebound = RawHttp.send("127.0.0.1", port, route.method(), route.on(shop), "{}",
                        "Host", "attacker.example:" + port, "Cookie", admin.cookie(), "X-CSRF-Token", admin.csrf(),
                        "Content-Type", "application/json");
                soft.assertThat(rebound.status()).as(name).isEqualTo(403);
                soft.assertThat(rebound.json().path("field").asText()).as(name).isEqualTo("Host");
                if (route.signsOut()) continue;
                RawHttp.Response own = team.send(admin, route.method(), route.on(shop), "{}");
                soft.assertThat(own.header("Content-Security-Policy")).as(name).contains("frame-ancestors 'none'");
                soft.assertThat(own.header("X-Content-Type-Options")).as(name).isEqualTo("nosniff");
                soft.assertThat(own.header("Referrer-Policy")).as(name).isEqualTo("same-origin");
            }
        });
    }

    @Test
    void a_share_link_opens_its_view_without_signing_in_and_once_revoked_every_shared_route_is_an_unknown_url() throws Exception {
        sql("INSERT INTO page (site_id, url) SELECT site_id, 'https://shop.example/shared' FROM site WHERE public_key = '" + shop + "'");
        var created = team.send(owner, "POST", "/api/sites/" + shop + "/shares", "{\"page\": \"https://shop.example/shared\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String token = created.json().get("link").asText().replaceFirst(".*/share/", "");
        assertThat(RawHttp.send("127.0.0.1", port, "GET", "/share/" + token + "/view", null).status()).isEqualTo(200);
        // The link is no key to anything else: not the site's API, not the pages.
        assertThat(RawHttp.send("127.0.0.1", port, "GET", "/api/sites/" + shop + "/pages", null, "Authorization", "Bearer " + token).status())
                .isEqualTo(401);
        assertThat(team.send(viewer, "DELETE", "/api/sites/" + shop + "/shares/" + created.json().get("id").asLong(), null).status())
                .isEqualTo(403);
        assertThat(team.send(owner, "DELETE", "/api/sites/" + shop + "/shares/" + created.json().get("id").asLong(), null).status())
                .isEqualTo(204);
        assertSoftly(soft -> {
            for (Route route : routes("SHARED")) {
                String path = route.on(shop).replace("no-such-link", token);
                RawHttp.Response answer = RawHttp.send("127.0.0.1", port, route.method(), path, null);
                soft.assertThat(answer.status()).as(route.path()).isEqualTo(404);
                soft.assertThat(answer.body()).as(route.path()).isEqualTo(unknownUrl(path).body());
            }
        });
    }

    /** What the server answers for a URL that names nothing, were it at {@code path} (the answer names its path). */
    private static RawHttp.Response unknownUrl(String path) {
        RawHttp.Response unknown = RawHttp.send("127.0.0.1", port, "GET", "/no/such/page", null);
        return new RawHttp.Response(unknown.status(), unknown.headers(), unknown.body().replace("/no/such/page", path));
    }

    @Test
    void an_ended_or_expired_session_signs_nobody_in() throws Exception {
        Team.Member first = team.signIn("viewer@example.com", Team.PASSWORD);
        Team.Member second = team.signIn("viewer@example.com", Team.PASSWORD);
        assertThat(team.send(first, "GET", "/api/me", null).status()).isEqualTo(200);
        // Ended from the other browser's account page.
        assertThat(team.send(second, "DELETE", "/api/me/sessions/" + first.sessionId(), null).status()).isEqualTo(204);
        assertThat(team.send(first, "GET", "/api/me", null).status()).isEqualTo(401);
        assertThat(team.send(second, "GET", "/api/me", null).status()).isEqualTo(200);
        // Idle past the limit (7 days by default).
        sql("UPDATE user_session SET last_seen_at = now() - interval '8 days' WHERE session_id = " + second.sessionId());
        assertThat(team.send(second, "GET", "/api/me", null).status()).isEqualTo(401);
        // Past the absolute limit, however recently used.
        Team.Member third = team.signIn("viewer@example.com", Team.PASSWORD);
        sql("UPDATE user_session SET expires_at = now() - interval '1 second' WHERE session_id = " + third.sessionId());
        assertThat(team.send(third, "GET", "/api/me", null).status()).isEqualTo(401);
        // Signing out ends the session on the server, not just in the browser.
        Team.Member fourth = team.signIn("viewer@example.com", Team.PASSWORD);
        assertThat(team.send(fourth, "POST", "/api/logout", null).status()).isEqualTo(204);
        assertThat(team.send(fourth, "GET", "/api/me", null).status()).isEqualTo(401);
    }

    private static RawHttp.Response anonymous(Route route) {
        return route.change()
                ? RawHttp.send("127.0.0.1", port, route.method(), route.on(shop), "{}", "Content-Type", "application/json")
                : RawHttp.send("127.0.0.1", port, route.method(), route.on(shop), null);
    }

    private static RawHttp.Response bearer(Route route, String token) {
        return RawHttp.send("127.0.0.1", port, route.method(), route.on(shop), route.change() ? "{}" : null,
                "Authorization", "Bearer " + token, "Content-Type", "application/json");
    }

    static void sql(String statement) throws Exception {
        int dbPort = Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).trim());
        try (var c = DriverManager.getConnection("jdbc:postgresql://localhost:" + dbPort + "/postgres", "postgres", null)) {
            c.createStatement().execute(statement);
        }
    }
}
