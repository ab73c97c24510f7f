package io.isotherm.dashboard;

import io.javalin.http.Context;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * A screenshot uploaded for a page behind a login: the raw image as the request body, PNG, JPEG or WebP, checked to
 * really be one (decoded in full, at reduced resolution so a huge image cannot exhaust the heap) and within bounds.
 */
final class ScreenshotUpload {
    static final List<String> TYPES = List.of("image/png", "image/jpeg", "image/webp");
    static final int MIN_WIDTH = 240;
    static final int MAX_WIDTH = 10_000;
    static final int MAX_HEIGHT = 100_000;

    /** The image: its bytes, its real type (by content, not by header) and its size in pixels. */
    record Checked(byte[] bytes, String contentType, int width, int height) {
        /** Its height when drawn {@code layoutWidth} px wide, as the viewer draws it. */
        int layoutHeight(int layoutWidth) {
            return (int) Math.round((double) height * layoutWidth / width);
        }
    }

    /** Oversized bodies up to this size are drained so the client can read its 413; larger ones are cut off. */
    static final long DISCARD_LIMIT = 64L * 1024 * 1024;

    private ScreenshotUpload() {
    }

    static Checked read(Context ctx, long maxBytes) {
        String declared = ctx.contentType() == null ? "" : ctx.contentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!TYPES.contains(declared)) {
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
        return check(bytes);
    }

    /** Decodes the image; anything that is not a whole PNG, JPEG or WebP image of sensible size is refused. */
    static Checked check(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            if (in == null) throw notAnImage();
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw notAnImage();
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                String type = "image/" + switch (reader.getFormatName().toLowerCase(Locale.ROOT)) {
                    case "png" -> "png";
                    case "jpeg", "jpg" -> "jpeg";
                    case "webp" -> "webp";
                    default -> throw notAnImage();
                };
                int width = reader.getWidth(0), height = reader.getHeight(0);
                if (width < MIN_WIDTH || width > MAX_WIDTH || height < 1 || height > MAX_HEIGHT) {
                    throw ApiError.refused(400, null, "the image is %d x %d px; a screenshot must be %d to %d px wide and at most %d px tall"
                            .formatted(width, height, MIN_WIDTH, MAX_WIDTH, MAX_HEIGHT));
                }
                // Decoding every byte proves the file is whole; reading every 8th pixel keeps memory small.
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(8, 8, 0, 0);
                reader.read(0, param);
                return new Checked(bytes, type, width, height);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiError refusal) throw refusal;
            throw notAnImage();
        }
    }

    private static ApiError notAnImage() {
        return ApiError.refused(400, null, "the body is not a readable PNG, JPEG or WebP image");
    }

    private static ApiError tooLarge(long maxBytes) {
        return ApiError.refused(413, null, "the image is larger than %d MB (ISOTHERM_UPLOAD_MAX_BYTES)".formatted(maxBytes / 1_000_000));
    }
}
