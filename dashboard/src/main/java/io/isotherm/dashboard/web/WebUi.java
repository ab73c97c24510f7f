package io.isotherm.dashboard.web;

import io.isotherm.dashboard.access.Access;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The heatmap viewer's pages and assets: {@code /} (sites and pages), {@code /view} (one page's heatmap),
 * {@code /share/{token}} (the one view of a share link) and
 * {@code /ui/…} (CSS, ES modules, icons), all from classpath resources next to this class. Every answer carries an
 * ETag and {@code Cache-Control: no-cache}, so browsers revalidate and a new build shows at once. Sign-in, setup and
 * invitation pages are public; the others need a signed-in caller ({@link Access}).
 */
public final class WebUi {
    private static final String ROOT = "io/isotherm/dashboard/web/";
    /** Asset names: lower-case words in folders, one extension. No dots elsewhere, so no way out of ROOT. */
    private static final Pattern ASSET = Pattern.compile("(?:[a-z0-9-]+/)*[a-z0-9-]+\\.[a-z0-9]+");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "json", "application/json");
    private record Asset(byte[] body, String type, String etag) {}

    private final Map<String, Optional<Asset>> assets = new ConcurrentHashMap<>();

    public void routes(JavalinConfig config) {
        page(config, "/", "index.html", Access.SIGNED_IN);
        page(config, "/view", "viewer.html", Access.SIGNED_IN);
        // A share link's viewer: the viewer's page with its own module, which locks it to the link's one view (the
        // guard has checked the link first). The same page, so the viewer's controls and the drawing stay one.
        config.routes.get("/share/{token}", ctx -> serve(ctx, "viewer.html#share", () -> load("viewer.html").map(page -> {
            byte[] body = new String(page.body(), StandardCharsets.UTF_8)
                    .replace("/ui/viewer.js", "/ui/share-view.js").replace("<body class=\"viewer\">", "<body class=\"viewer shared\">")
                    .replace("<title>Heatmap · Isotherm</title>", "<title>Shared heatmap · Isotherm</title>")
                    .getBytes(StandardCharsets.UTF_8);
            if (!new String(body, StandardCharsets.UTF_8).contains("/ui/share-view.js")) {
                throw new IllegalStateException("viewer.html no longer loads /ui/viewer.js: the shared viewer needs its module");
            }
            return new Asset(body, page.type(), etag(body));
        })), Access.SHARED);
        shell(config, "/site", "app.html", "Site", "site", Access.SIGNED_IN);
        shell(config, "/countries", "app.html", "Countries", "countries", Access.SIGNED_IN);
        shell(config, "/engagement", "app.html", "Engagement", "engagement", Access.SIGNED_IN);
        shell(config, "/new-site", "app.html", "New site", "new-site", Access.SIGNED_IN);
        shell(config, "/account", "app.html", "Account", "account", Access.SIGNED_IN);
        // The users page explains itself to others; its API is for administrators only.
        shell(config, "/admin", "app.html", "Users", "admin", Access.SIGNED_IN);
        shell(config, "/login", "entry.html", "Sign in", "login", Access.PUBLIC);
        shell(config, "/setup", "entry.html", "Set up", "setup", Access.PUBLIC);
        shell(config, "/invite", "entry.html", "Invitation", "invite", Access.PUBLIC);
        config.routes.get("/ui/<path>", ctx -> {
            String path = ctx.pathParam("path");
            if (!ASSET.matcher(path).matches()) {
                ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "not found"));
                return;
            }
            String name = "ui/" + path;
            serve(ctx, name, () -> load(name));
        }, Access.PUBLIC);
    }

    /** An HTML page; its security headers come from the guard, as for every dashboard answer. */
    private void page(JavalinConfig config, String path, String name, Access access) {
        config.routes.get(path, ctx -> serve(ctx, name, () -> load(name)), access);
    }

    /**
     * A page made from a shared shell ({@code app.html} with the top bar, {@code entry.html} for signing in) with its
     * title and its ES module filled in: the pages differ only in those two.
     */
    private void shell(JavalinConfig config, String path, String shell, String title, String module, Access access) {
        config.routes.get(path, ctx -> serve(ctx, shell + "#" + module, () -> load(shell).map(page -> {
            byte[] body = new String(page.body(), StandardCharsets.UTF_8)
                    .replace("{{title}}", title).replace("{{module}}", module).getBytes(StandardCharsets.UTF_8);
            return new Asset(body, page.type(), etag(body));
        })), access);
    }

    private void serve(Context ctx, String key, Supplier<Optional<Asset>> loader) {
        Asset asset = assets.computeIfAbsent(key, k -> loader.get()).orElse(null);
        if (asset == null) {
            ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "not found"));
            return;
        }
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", asset.etag());
        ctx.header("X-Content-Type-Options", "nosniff");
        if (asset.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        ctx.contentType(asset.type()).result(asset.body());
    }

    private static Optional<Asset> load(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        String type = TYPES.get(extension);
        if (type == null) return Optional.empty();
        try (InputStream in = WebUi.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) return Optional.empty();
            byte[] body = in.readAllBytes();
            return Optional.of(new Asset(body, type, etag(body)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String etag(byte[] body) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(hash, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
