package io.isotherm.dashboard.access;

import io.javalin.http.Context;

import java.time.Duration;

/** The session cookie: {@code HttpOnly}, {@code SameSite=Lax}, {@code Secure} when the public URL is https. */
public final class SessionCookie {
    public static final String NAME = "isotherm_session";

    private final boolean secure;

    public SessionCookie(boolean secure) {
        this.secure = secure;
    }

    public void set(Context ctx, String secret, Duration maxAge) {
        ctx.header("Set-Cookie", NAME + "=" + secret + "; Path=/; Max-Age=" + maxAge.toSeconds() + "; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : ""));
    }

    public void clear(Context ctx) {
        ctx.header("Set-Cookie", NAME + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
    }

    static String read(Context ctx) {
        return ctx.cookie(NAME);
    }
}
