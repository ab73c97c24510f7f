package io.isotherm.dashboard;

import io.javalin.http.Context;

/** Numeric ids in paths ({@code …/captures/{id}}): one that is not a number names nothing, so it is a 404 too. */
public final class PathIds {
    private PathIds() {
    }

    public static long of(Context ctx, String name, String unknown) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw ApiError.notFound(unknown);
        }
    }
}
