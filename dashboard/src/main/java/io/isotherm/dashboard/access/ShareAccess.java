package io.isotherm.dashboard.access;

import io.isotherm.accounts.ShareLinks;
import io.javalin.http.Context;

/** The share link of a {@link Access#SHARED} route, as {@link Guard} found it live. */
public final class ShareAccess {
    /** The answer to every refused share URL: the words of the server's 404 for an unknown URL. */
    public static final String NOT_FOUND = "not found";
    static final String LINK = "isotherm.share";

    private ShareAccess() {
    }

    public static ShareLinks.Link link(Context ctx) {
        ShareLinks.Link link = ctx.attribute(LINK);
        if (link == null) throw new IllegalStateException(ctx.path() + " is not a shared route");
        return link;
    }
}
