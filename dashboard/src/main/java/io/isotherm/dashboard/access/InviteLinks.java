package io.isotherm.dashboard.access;

import io.isotherm.accounts.Invites;
import io.javalin.http.Context;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The address of an invitation link, to copy to a colleague: on the dashboard's own address as the inviter's
 * browser reached it (the collector's public URL may be another host).
 */
public final class InviteLinks {
    public Map<String, Object> json(Context ctx, Invites.Created created) {
        Invites.Invite invite = created.invite();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", invite.id());
        json.put("email", invite.email());
        json.put("role", invite.role() == null ? null : invite.role().label());
        json.put("admin", invite.admin());
        json.put("link", origin(ctx) + "/invite?token=" + created.secret());
        json.put("expiresAt", invite.expiresAt().toString());
        return json;
    }

    /**
     * The scheme and host the request came to (the guard has checked the host already). Behind a proxy that ends
     * TLS, the request arrives over http: the proxy's {@code X-Forwarded-Proto} says what the browser used.
     */
    public static String origin(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-Proto");
        String scheme = "https".equalsIgnoreCase(forwarded) || "http".equalsIgnoreCase(forwarded)
                ? forwarded.toLowerCase(java.util.Locale.ROOT) : URI.create(ctx.url()).getScheme();
        return scheme + "://" + ctx.header("Host");
    }
}
