package io.isotherm.dashboard.access;

import io.isotherm.accounts.Secrets;
import io.javalin.http.Context;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who may create the first administrator: someone on the server's own machine, or whoever has the one-time link
 * that {@code serve} prints to its console. The link's secret lives in this process only and is never stored.
 */
final class SetupLink {
    private final String secret = Secrets.generate("");

    String path() {
        return "/setup?token=" + secret;
    }

    /**
     * A loopback client counts as this machine only without forwarding headers: behind a reverse proxy on the same
     * machine, every visitor would look local.
     */
    boolean allows(Context ctx, String token) throws UnknownHostException {
        if (token != null && Secrets.same(secret, token)) return true;
        boolean forwarded = ctx.header("X-Forwarded-For") != null || ctx.header("Forwarded") != null
                || ctx.header("X-Real-IP") != null;
        return !forwarded && InetAddress.getByName(ctx.ip()).isLoopbackAddress();
    }
}
