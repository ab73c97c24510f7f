package io.isotherm.dashboard.access;

import io.isotherm.accounts.ShareLinks;
import io.javalin.http.Context;
import io.javalin.router.EndpointNotFound;

/** The share link of a {@link Access#SHARED} route, as {@link Guard} found it live. */
public final class ShareAccess {
    static final String LINK = "isotherm.share";

    private ShareAccess() {
    }

    /**
     * The refusal of every share URL that opens nothing: exactly what the server answers for a URL with no route, so
     * that an unknown, revoked or expired link, or a path the link does not open, says nothing about what exists.
     */
    public static EndpointNotFound notFound(Context ctx) {
        return new EndpointNotFound(ctx.method(), ctx.path());
    }

    public static ShareLinks.Link link(Context ctx) {
        ShareLinks.Link link = ctx.attribute(LINK);
        if (link == null) throw new IllegalStateException(ctx.path() + " is not a shared route");
        return link;
    }
}
