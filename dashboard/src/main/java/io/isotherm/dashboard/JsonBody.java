package io.isotherm.dashboard;

import io.javalin.http.Context;

/** A request's JSON body as a record; anything else is a 400 naming the body, with an example of what it should be. */
public final class JsonBody {
    private JsonBody() {
    }

    public static <T> T read(Context ctx, Class<T> type, String example) {
        T body;
        try {
            body = ctx.bodyAsClass(type);
        } catch (Exception e) { // Jackson's parse errors are checked exceptions, thrown through Kotlin
            throw ApiError.badParameter("body", "the body must be JSON like " + example);
        }
        if (body == null) throw ApiError.badParameter("body", "the body must be JSON like " + example);
        return body;
    }
}
