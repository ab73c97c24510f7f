package io.isotherm.launcher;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A team on a running platform in the accounts mode, made the way people make it: the first administrator through
 * the setup endpoint (from this machine), the others through invitation links. Each member is a signed-in browser.
 */
final class Team {
    static final String PASSWORD = "a long enough password";

    /** A signed-in browser: its session cookie and CSRF token. */
    record Member(String email, String cookie, String csrf, long sessionId) {}

    private final int port;

    Team(int port) {
        this.port = port;
    }

    Member setUpAdministrator(String email) {
        var created = RawHttp.send("127.0.0.1", port, "POST", "/api/setup", json("email", email, "password", PASSWORD),
                "Content-Type", "application/json");
        if (created.status() != 201) throw new AssertionError("setup: " + created.status() + " " + created.body());
        return member(email, created);
    }

    Member signIn(String email, String password) {
        var signedIn = RawHttp.send("127.0.0.1", port, "POST", "/api/login", json("email", email, "password", password),
                "Content-Type", "application/json");
        if (signedIn.status() != 200) throw new AssertionError("sign-in: " + signedIn.status() + " " + signedIn.body());
        return member(email, signedIn);
    }

    /** An administrator makes a site; its key. */
    String site(Member admin, String name, String origin) {
        var site = send(admin, "POST", "/api/sites", "{\"name\":\"" + name + "\",\"origins\":[\"" + origin + "\"],\"timeZone\":\"UTC\"}");
        if (site.status() != 201) throw new AssertionError("site: " + site.status() + " " + site.body());
        return site.json().get("key").asText();
    }

    /** An owner invites {@code email} to a site; the colleague opens the link and chooses a password. */
    Member invite(Member owner, String site, String email, String role) {
        var invite = send(owner, "POST", "/api/sites/" + site + "/invites", json("email", email, "role", role));
        if (invite.status() != 201) throw new AssertionError("invite: " + invite.status() + " " + invite.body());
        String link = invite.json().get("link").asText();
        String token = link.substring(link.indexOf("token=") + "token=".length());
        var accepted = RawHttp.send("127.0.0.1", port, "POST", "/api/invites/" + token + "/accept", json("password", PASSWORD),
                "Content-Type", "application/json");
        if (accepted.status() != 200) throw new AssertionError("accept: " + accepted.status() + " " + accepted.body());
        return member(email, accepted);
    }

    /** An API token of a member: its secret. */
    String token(Member member, String site, String scope) {
        var token = send(member, "POST", "/api/me/tokens", "{\"name\":\"test\",\"site\":" + (site == null ? "null" : "\"" + site + "\"")
                + ",\"scope\":\"" + scope + "\"}");
        if (token.status() != 201) throw new AssertionError("token: " + token.status() + " " + token.body());
        return token.json().get("token").asText();
    }

    /** A request of a signed-in browser: its cookie, its CSRF token, same-origin. */
    RawHttp.Response send(Member member, String method, String path, String body, String... headers) {
        List<String> all = new ArrayList<>(List.of("Cookie", member.cookie(), "X-CSRF-Token", member.csrf(),
                "Sec-Fetch-Site", "same-origin", "Content-Type", "application/json"));
        all.addAll(List.of(headers));
        return RawHttp.send("127.0.0.1", port, method, path, body, all.toArray(String[]::new));
    }

    private Member member(String email, RawHttp.Response signedIn) {
        String cookie = signedIn.header("Set-Cookie").split(";", 2)[0];
        var me = RawHttp.send("127.0.0.1", port, "GET", "/api/me", null, "Cookie", cookie);
        var sessions = RawHttp.send("127.0.0.1", port, "GET", "/api/me/sessions", null, "Cookie", cookie);
        long sessionId = -1;
        for (JsonNode s : sessions.json().get("sessions")) if (s.get("current").asBoolean()) sessionId = s.get("id").asLong();
        return new Member(email, cookie, me.json().get("csrfToken").asText(), sessionId);
    }

    static String json(String... pairs) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) json.append(',');
            json.append('"').append(pairs[i]).append("\":\"").append(pairs[i + 1].replace("\"", "\\\"")).append('"');
        }
        return json.append('}').toString();
    }
}
