package io.isotherm.collector;

import io.javalin.http.Context;

/**
 * CORS for the collect endpoint. The browser's Origin is echoed back (never with credentials) on every answer so
 * the tracker can read 4xx, 429 and 503 statuses and decide whether to retry, and when ({@code Retry-After}).
 * Whether an origin may send events is decided by the site's allowed origins and answered with 403, not left to CORS.
 */
final class Cors {
    private Cors() {
    }

    static void allow(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Access-Control-Expose-Headers", "Retry-After"); // the tracker waits as long as it says
            ctx.header("Vary", "Origin");
        }
    }

    static void preflight(Context ctx) {
        allow(ctx);
        ctx.header("Access-Control-Allow-Methods", "POST");
        ctx.header("Access-Control-Allow-Headers", "Content-Type");
        ctx.header("Access-Control-Max-Age", "86400");
        ctx.status(204);
    }
}
