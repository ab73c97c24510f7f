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

    /** The scheme and host the request came to (checked against the allowed hosts by the guard already). */
    public static String origin(Context ctx) {
        URI url = URI.create(ctx.url());
        return url.getScheme() + "://" + ctx.header("Host");
    }
}
