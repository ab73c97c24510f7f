package io.isotherm.dashboard;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Checks that an uploaded screenshot is a whole PNG, JPEG or WebP image of sensible size, without letting a small file
 * that claims a huge image cost huge memory. The size in pixels comes from the header alone (the reader's
 * {@code getWidth}/{@code getHeight}, no pixel decoded); above the limits the upload is refused before decoding. Only
 * then is every byte decoded, to prove the file whole, at an eighth of its resolution, one upload at a time: a
 * progressive JPEG holds all its coefficients outside the heap while it decodes (2 bytes a sample, about 300 MB for a
 * colour image at the default limit), and a PNG inflates all its rows, so memory and CPU are bounded by the pixel
 * limit and not multiplied by concurrent uploads.
 */
final class ScreenshotCheck {
    static final List<String> TYPES = List.of("image/png", "image/jpeg", "image/webp");
    static final int MIN_WIDTH = 240;
    static final int MAX_WIDTH = 10_000;
    static final int MAX_HEIGHT = 100_000;
    /**
     * The default of {@code ISOTHERM_UPLOAD_MAX_PIXELS}: a 1440 px wide page shot at 2x density (2880 px wide) down to
     * 17,000 px, past Chromium's 16,384 px of a full-size screenshot; a 1440 px shot at 1x down to 34,700 px.
     */
    static final long DEFAULT_MAX_PIXELS = 50_000_000;
    /**
     * A progressive JPEG is decoded scan by scan, and a refinement scan walks every block of the image however few
     * bytes it holds: 1,000 empty scans (10 KB) under a 50-million-pixel header took 114 s, 100 took 6 s (PERFORMANCE.md).
     * Encoders write 6 to 10 scans (libjpeg's progressive script), optimising ones a few more.
     */
    static final int MAX_JPEG_SCANS = 32;
    /** How long an upload waits for the one running decode before it is refused with 503. */
    private static final long DECODE_WAIT_SECONDS = 30;

    /** The image: its bytes, its real type (by content, not by header) and its size in pixels. */
    record Checked(byte[] bytes, String contentType, int width, int height) {
        /** Its height when drawn {@code layoutWidth} px wide, as the viewer draws it. */
        int layoutHeight(int layoutWidth) {
            return (int) Math.round((double) height * layoutWidth / width);
        }
    }

    private final long maxPixels;
    private final Semaphore decoding = new Semaphore(1, true);

    ScreenshotCheck(long maxPixels) {
        if (maxPixels < 1) throw new IllegalArgumentException("maxPixels must be positive");
        this.maxPixels = maxPixels;
    }

    /** Anything that is not a whole PNG, JPEG or WebP image within the limits is refused. */
    Checked check(byte[] bytes) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw notAnImage();
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true); // metadata ignored: text and profile chunks are never inflated
                String type = "image/" + switch (reader.getFormatName().toLowerCase(Locale.ROOT)) {
                    case "png" -> "png";
                    case "jpeg", "jpg" -> "jpeg";
                    case "webp" -> "webp";
                    default -> throw notAnImage();
                };
                int width = reader.getWidth(0), height = reader.getHeight(0);
                checkSize(width, height);
                if (type.equals("image/jpeg")) checkScans(bytes);
                decode(reader);
                return new Checked(bytes, type, width, height);
            } finally {
                reader.dispose(); // frees the JPEG decoder's memory outside the heap at once
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiError refusal) throw refusal;
            throw notAnImage();
        }
    }

    private void checkSize(int width, int height) {
        if (width < MIN_WIDTH || height < 1) {
            throw ApiError.refused(400, null, "the image is %d x %d px; a screenshot must be at least %d px wide"
                    .formatted(width, height, MIN_WIDTH));
        }
        if (width > MAX_WIDTH || height > MAX_HEIGHT) {
            throw ApiError.refused(413, null, "the image is %d x %d px; a screenshot may be at most %d px wide and %d px tall"
                    .formatted(width, height, MAX_WIDTH, MAX_HEIGHT));
        }
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw ApiError.refused(413, null, String.format(Locale.ROOT,
                    "the image is %d x %d px = %,d pixels; the limit is %,d pixels (ISOTHERM_UPLOAD_MAX_PIXELS)", width, height, pixels, maxPixels));
        }
    }

    /** Counts the start-of-scan markers: inside entropy-coded data a 0xFF byte is always followed by 0x00 or a restart. */
    private static void checkScans(byte[] jpeg) {
        int scans = 0;
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if (jpeg[i] == (byte) 0xff && jpeg[i + 1] == (byte) 0xda) scans++;
        }
        if (scans > MAX_JPEG_SCANS) {
            throw ApiError.refused(400, null, "the JPEG has %d scans; a screenshot may have at most %d".formatted(scans, MAX_JPEG_SCANS));
        }
    }

    /** Decodes every byte (a cut-off or corrupt file fails here), reading every 8th pixel so the heap copy stays small. */
    private void decode(ImageReader reader) throws IOException {
        try {
            if (!decoding.tryAcquire(DECODE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw ApiError.unavailable(DECODE_WAIT_SECONDS, "other screenshots are being checked; retry later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.unavailable(DECODE_WAIT_SECONDS, "the server is stopping; retry later");
        }
        try {
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(8, 8, 0, 0);
            reader.read(0, param);
        } finally {
            decoding.release();
        }
    }

    private static ApiError notAnImage() {
        return ApiError.refused(400, null, "the body is not a readable PNG, JPEG or WebP image");
    }
}
