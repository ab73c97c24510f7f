package io.isotherm.db.site;

import java.util.List;

/** A tracked website. {@code publicKey} goes into the script tag; it identifies, it does not authorise. */
public record Site(int id, String publicKey, String name, List<String> origins, List<String> pageQueryParams, String timeZone) {
    public Site {
        origins = List.copyOf(origins);
        pageQueryParams = List.copyOf(pageQueryParams);
    }
}
