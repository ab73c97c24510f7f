package io.isotherm.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The app-like website of {@link AppPagesAccuracyTest}: the pages under {@code app-pages/} in the test resources, each
 * served at its name without {@code .html} (any query string is the page's own business), with the site's tag where
 * the page says {@code <!--tag-->}.
 */
final class AppPagesSite extends TaggedSite {
    private static final Set<String> PAGES = Set.of("app", "sticky", "drawer", "component", "frame", "frame-inner", "card");

    AppPagesSite() {
        super(AppPagesSite::page);
    }

    private static String page(String path, String tag) {
        String name = path.substring(1);
        if (!PAGES.contains(name)) return null;
        try (InputStream in = AppPagesSite.class.getResourceAsStream("/app-pages/" + name + ".html")) {
            if (in == null) throw new IllegalStateException("no fixture page app-pages/" + name + ".html");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("<!--tag-->", tag);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
