package io.isotherm.db.page;

import io.isotherm.db.site.Origins;
import io.isotherm.db.site.Site;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * The page key: scheme, host and path of a URL. Query and fragment are dropped unless the site names query
 * parameters that identify a page; a trailing slash is dropped so /pricing and /pricing/ are one page.
 */
public final class PageUrl {
    private PageUrl() {
    }

    /**
     * The page key of this URL on the site: normalized with the site's kept query parameters.
     *
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL
     */
    public static String of(Site site, String url) {
        return normalize(url, site.pageQueryParams());
    }

    /** @throws IllegalArgumentException when the URL is not an absolute http(s) URL */
    public static String normalize(String url, List<String> keptQueryParams) {
        URI uri = parse(url);
        String origin = Origins.of(uri);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return origin + path + keptQuery(uri.getRawQuery(), keptQueryParams);
    }

    /**
     * The URL, checked to be one a page can have.
     *
     * @throws IllegalArgumentException when it is not an absolute http(s) URL
     */
    public static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL");
        }
        String origin = Origins.of(uri);
        if (origin == null || !(origin.startsWith("http://") || origin.startsWith("https://"))) {
            throw new IllegalArgumentException("must be an absolute http(s) URL");
        }
        return uri;
    }

    private static String keptQuery(String rawQuery, List<String> keptQueryParams) {
        if (rawQuery == null || keptQueryParams.isEmpty()) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            String name = pair.split("=", 2)[0];
            if (keptQueryParams.contains(name)) {
                kept.add(pair);
            }
        }
        kept.sort(null); // ?a=1&b=2 and ?b=2&a=1 are the same page
        return kept.isEmpty() ? "" : "?" + String.join("&", kept);
    }
}
