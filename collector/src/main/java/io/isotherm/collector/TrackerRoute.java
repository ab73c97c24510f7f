package io.isotherm.collector;

import io.isotherm.tracker.TrackerScript;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.util.Arrays;

/**
 * {@code GET /t.js}: the tracker, loadable from any site. Browsers revalidate it hourly with its ETag, so a new
 * version reaches every site within the hour without anyone touching their tag. {@code HEAD /t.js} answers the same
 * headers, length included, without the body.
 */
final class TrackerRoute implements Handler {
    static final String CACHE_CONTROL = "public, max-age=3600, stale-while-revalidate=86400";

    private final TrackerScript script = TrackerScript.load();

    @Override
    public void handle(Context ctx) {
        ctx.header("Cache-Control", CACHE_CONTROL);
        ctx.header("ETag", script.etag());
        ctx.header("Vary", "Accept-Encoding");
        // Any page may load it, including pages that isolate themselves with COEP.
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.header("Cross-Origin-Resource-Policy", "cross-origin");
        ctx.header("X-Content-Type-Options", "nosniff");
        if (matches(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType("text/javascript; charset=utf-8");
        boolean gzip = acceptsGzip(ctx.header("Accept-Encoding"));
        if (gzip) ctx.header("Content-Encoding", "gzip");
        byte[] body = gzip ? script.gzipped() : script.minified();
        // Set here, not left to the server, which counts the bytes written: a HEAD request writes none.
        ctx.header("Content-Length", String.valueOf(body.length));
        if (!ctx.method().name().equals("HEAD")) ctx.result(body);
    }

    private boolean matches(String ifNoneMatch) {
        return ifNoneMatch != null && Arrays.stream(ifNoneMatch.split(","))
                .map(tag -> tag.trim().replaceFirst("^W/", ""))
                .anyMatch(tag -> tag.equals("*") || tag.equals(script.etag()));
    }

    private static boolean acceptsGzip(String acceptEncoding) {
        return acceptEncoding != null && Arrays.stream(acceptEncoding.split(","))
                .map(coding -> coding.trim().split(";", 2))
                .anyMatch(parts -> parts[0].trim().equalsIgnoreCase("gzip")
                        && !(parts.length == 2 && parts[1].replace(" ", "").matches("q=0(\\.0*)?")));
    }
}
