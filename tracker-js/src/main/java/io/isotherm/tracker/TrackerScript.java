package io.isotherm.tracker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The minified tracker ({@code t.js}) as the build left it in this jar, plus what serving it needs: a gzip copy
 * (compressed once, at the highest level) and a strong ETag over the content.
 */
public record TrackerScript(byte[] minified, byte[] gzipped, String etag) {
    static final String RESOURCE = "/io/isotherm/tracker/t.js";

    public static TrackerScript load() {
        try (InputStream in = TrackerScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: the tracker-js build did not run");
            }
            byte[] minified = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(minified);
            return new TrackerScript(minified, gzip(minified), '"' + HexFormat.of().formatHex(digest, 0, 12) + '"');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** gzip at level 9, as {@code gzip -9} does: the size budget is stated in these bytes. */
    static byte[] gzip(byte[] data) {
        var out = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gzip.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
