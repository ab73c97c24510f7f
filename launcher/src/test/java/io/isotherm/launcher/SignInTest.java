package io.isotherm.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Signing in: one message for an unknown email and a wrong password, throttling per account and per address, setup. */
class SignInTest {
    @TempDir
    Path dataDir;

    private Platform start(Map<String, String> more) {
        var env = new java.util.HashMap<>(Map.of("ISOTHERM_DATA_DIR", dataDir.toString(), "ISOTHERM_PORT", "0",
                "ISOTHERM_BIND_ADDRESS", "127.0.0.1", "ISOTHERM_ROLES", "dashboard", "ISOTHERM_CAPTURE_WORKER", "false"));
        env.putAll(more);
        return Platform.start(Settings.fromEnvironment(env));
    }

    private static RawHttp.Response login(int port, String email, String password) {
        return RawHttp.send("127.0.0.1", port, "POST", "/api/login", Team.json("email", email, "password", password),
                "Content-Type", "application/json");
    }

    @Test
    void an_unknown_email_and_a_wrong_password_get_the_same_answer_and_attempts_are_throttled() {
        try (var platform = start(Map.of("ISOTHERM_LOGIN_ATTEMPTS_PER_ACCOUNT", "3", "ISOTHERM_LOGIN_ATTEMPTS_PER_ADDRESS", "6"))) {
            int port = platform.port();
            new Team(port).setUpAdministrator("ana@example.com");

            var wrong = login(port, "ana@example.com", "not the password");
            var unknown = login(port, "nobody@example.com", "not the password");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(unknown.status()).isEqualTo(401);
            assertThat(unknown.body()).isEqualTo(wrong.body()).contains("wrong email or password");

            // Ana's account has had 1 attempt; 2 more are allowed, then 429 even with the right password.
            assertThat(login(port, "ana@example.com", "still not it").status()).isEqualTo(401);
            assertThat(login(port, "ana@example.com", Team.PASSWORD).status()).isEqualTo(200);
            var throttled = login(port, "ana@example.com", Team.PASSWORD);
            assertThat(throttled.status()).isEqualTo(429);
            assertThat(Long.parseLong(throttled.header("Retry-After"))).isPositive();
            assertThat(throttled.header("Set-Cookie")).isNull();

            // This address has made 5 attempts; one more for another account passes the per-account limit, then
            // the address's own limit refuses every account.
            assertThat(login(port, "bob@example.com", "whatever it is").status()).isEqualTo(401);
            assertThat(login(port, "carl@example.com", "whatever it is").status()).isEqualTo(429);
        }
    }

    @Test
    void the_first_administrator_comes_from_the_environment_once_and_setup_is_then_closed() throws Exception {
        Path secret = Files.writeString(dataDir.resolve("admin-password"), "from a docker secret\n");
        try (var platform = start(Map.of("ISOTHERM_ADMIN_EMAIL", "ops@example.com", "ISOTHERM_ADMIN_PASSWORD_FILE", secret.toString()))) {
            int port = platform.port();
            assertThat(login(port, "ops@example.com", "from a docker secret").status()).isEqualTo(200);
            var setup = RawHttp.send("127.0.0.1", port, "GET", "/api/setup", null);
            assertThat(setup.json().get("needed").asBoolean()).isFalse();
            var again = RawHttp.send("127.0.0.1", port, "POST", "/api/setup",
                    Team.json("email", "intruder@example.com", "password", "a long enough password"), "Content-Type", "application/json");
            assertThat(again.status()).isEqualTo(409);
        }
    }

    @Test
    void setup_from_another_address_needs_the_link_that_serve_prints() {
        try (var platform = start(Map.of())) {
            int port = platform.port();
            // Behind a proxy on this machine, a visitor looks local: a forwarded request is not trusted as local.
            var proxied = RawHttp.send("127.0.0.1", port, "POST", "/api/setup",
                    Team.json("email", "eve@example.com", "password", "a long enough password"),
                    "Content-Type", "application/json", "X-Forwarded-For", "203.0.113.9");
            assertThat(proxied.status()).isEqualTo(403);
            assertThat(proxied.json().get("field").asText()).isEqualTo("token");

            String link = platform.setupPath().orElseThrow();
            String token = link.substring(link.indexOf("token=") + 6);
            var withLink = RawHttp.send("127.0.0.1", port, "POST", "/api/setup",
                    "{\"email\":\"ana@example.com\",\"password\":\"a long enough password\",\"token\":\"" + token + "\"}",
                    "Content-Type", "application/json", "X-Forwarded-For", "203.0.113.9");
            assertThat(withLink.status()).isEqualTo(201);
            assertThat(withLink.header("Set-Cookie")).contains("HttpOnly").contains("SameSite=Lax").doesNotContain("Secure");
            assertThat(platform.setupPath()).isEmpty();
        }
    }

    @Test
    void cookies_are_secure_when_the_public_url_is_https() {
        try (var platform = start(Map.of("ISOTHERM_PUBLIC_URL", "https://isotherm.example"))) {
            var created = RawHttp.send("127.0.0.1", platform.port(), "POST", "/api/setup",
                    Team.json("email", "ana@example.com", "password", "a long enough password"), "Content-Type", "application/json");
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.header("Set-Cookie")).contains("; Secure").contains("HttpOnly");
        }
    }
}
