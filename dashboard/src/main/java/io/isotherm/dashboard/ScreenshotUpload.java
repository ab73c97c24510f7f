package io.isotherm.dashboard;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * A screenshot uploaded for a page behind a login: the raw image as the request body, PNG, JPEG or WebP, at most
 * {@code ISOTHERM_UPLOAD_MAX_BYTES}; {@link ScreenshotCheck} then checks the image itself.
 */
final class ScreenshotUpload {
    /** Oversized bodies up to this size are drained so the client can read its 413; larger ones are cut off. */
    static final long DISCARD_LIMIT = 64L * 1024 * 1024;

    private ScreenshotUpload() {
    }

    /** The body, of a declared image type and at most {@code maxBytes}. */
    static byte[] read(Context ctx, long maxBytes) {
        String declared = ctx.contentType() == null ? "" : ctx.contentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!ScreenshotCheck.TYPES.contains(declared)) {
            throw ApiError.refused(415, null, "send the image as the request body with Content-Type image/png, image/jpeg or image/webp");
        }
        boolean expectsContinue = "100-continue".equalsIgnoreCase(ctx.header("Expect"));
        if (ctx.contentLength() > maxBytes && (expectsContinue || ctx.contentLength() > DISCARD_LIMIT)) {
            throw tooLarge(maxBytes); // without touching the body stream: opening it would invite the client to send
        }
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > maxBytes) {
                // A client still writing when the connection closes sees a broken pipe, not the 413: read the rest
                // (up to DISCARD_LIMIT) and throw it away first.
                long left = DISCARD_LIMIT, skipped;
                while (left > 0 && (skipped = in.skip(Math.min(left, 65_536))) > 0) left -= skipped;
                throw tooLarge(maxBytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }

    private static ApiError tooLarge(long maxBytes) {
        return ApiError.refused(413, null, "the image is larger than %d MB (ISOTHERM_UPLOAD_MAX_BYTES)".formatted(maxBytes / 1_000_000));
    }
}
