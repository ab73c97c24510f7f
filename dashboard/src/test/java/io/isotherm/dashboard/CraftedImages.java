package io.isotherm.dashboard;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Small files that claim or hold huge images, made by hand the way a hostile client would: a progressive JPEG whose
 * frame header is patched to a huge size, PNGs whose compressed rows inflate to gigabytes, a WebP header of a huge
 * image. Each costs the test a few megabytes at most.
 */
final class CraftedImages {
    private static final int MEGABYTE = 1 << 20;

    private CraftedImages() {
    }

    /** A real progressive JPEG of {@code width} x {@code height}, flat colour. */
    static byte[] progressiveJpeg(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(new Color(40, 120, 200));
        g.fillRect(0, 0, width, height);
        g.dispose();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        var out = new ByteArrayOutputStream();
        try (var stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** A real progressive JPEG with {@code extraScans} empty scans (a start-of-scan header each) before its end. */
    static byte[] progressiveJpegWithScans(int extraScans) {
        byte[] jpeg = progressiveJpeg(256, 256);
        byte[] scan = {(byte) 0xff, (byte) 0xda, 0, 8, 1, 1, 0, 1, 63, 0}; // one component, AC 1-63, no data
        var out = new ByteArrayOutputStream();
        out.write(jpeg, 0, jpeg.length - 2);
        for (int i = 0; i < extraScans; i++) out.writeBytes(scan);
        out.write(jpeg, jpeg.length - 2, 2); // EOI
        return out.toByteArray();
    }

    /** A small progressive JPEG whose frame header (SOF2) says {@code width} x {@code height}. */
    static byte[] progressiveJpegClaiming(int width, int height) {
        byte[] jpeg = progressiveJpeg(256, 256);
        for (int i = 2; i + 8 < jpeg.length; ) {
            if ((jpeg[i] & 0xff) != 0xff) throw new IllegalStateException("not a JPEG marker at " + i);
            int marker = jpeg[i + 1] & 0xff;
            int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            if (marker == 0xc2) { // SOF2: length, precision, height, width
                jpeg[i + 5] = (byte) (height >> 8);
                jpeg[i + 6] = (byte) height;
                jpeg[i + 7] = (byte) (width >> 8);
                jpeg[i + 8] = (byte) width;
                return jpeg;
            }
            i += 2 + length;
        }
        throw new IllegalStateException("no SOF2 marker: not a progressive JPEG");
    }

    /**
     * A grey PNG of {@code width} x {@code height} whose compressed rows inflate to {@code inflatedBytes} of zeros
     * (black rows, filter 0). More bytes than the rows need is a bomb under a small header; fewer, a cut-off image.
     */
    static byte[] greyPng(int width, int height, long inflatedBytes) {
        return greyPng(width, height, inflatedBytes, 0);
    }

    /** The same with a compressed text chunk (zTXt) before the rows that inflates to {@code textBytes} of zeros. */
    static byte[] greyPng(int width, int height, long inflatedBytes, long textBytes) {
        var png = new ByteArrayOutputStream();
        png.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).array()); // 8-bit grey
        if (textBytes > 0) {
            var text = new ByteArrayOutputStream();
            text.writeBytes("Comment".getBytes(StandardCharsets.US_ASCII));
            text.write(0); // end of the keyword
            text.write(0); // compression method: zlib
            text.writeBytes(zlibZeros(textBytes));
            chunk(png, "zTXt", text.toByteArray());
        }
        chunk(png, "IDAT", zlibZeros(inflatedBytes));
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /**
     * A zlib stream of {@code length} zeros, made without deflating the whole: after a full flush a deflate stream
     * refers to nothing before it, so one compressed megabyte of zeros can be repeated.
     */
    private static byte[] zlibZeros(long length) {
        byte[] compressedMegabyte = deflateRaw(new byte[MEGABYTE], false);
        var zlib = new ByteArrayOutputStream();
        zlib.write(0x78);
        zlib.write(0x01); // zlib header: deflate, 32 KiB window, no dictionary
        for (long i = 0; i < length / MEGABYTE; i++) zlib.writeBytes(compressedMegabyte);
        zlib.writeBytes(deflateRaw(new byte[(int) (length % MEGABYTE)], true));
        long adler = ((length % 65_521) << 16) | 1; // Adler-32 of zeros: a stays 1, b counts the bytes
        zlib.writeBytes(ByteBuffer.allocate(4).putInt((int) adler).array());
        return zlib.toByteArray();
    }

    /** What a grey PNG's rows inflate to: a filter byte and one byte a pixel per row. */
    static long greyRowBytes(int width, int height) {
        return (long) (width + 1) * height;
    }

    /** The header of a lossless WebP (VP8L) of {@code width} x {@code height}, followed by junk. */
    static byte[] webpClaiming(int width, int height) {
        byte[] junk = new byte[4096];
        ByteBuffer vp8l = ByteBuffer.allocate(5 + junk.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        vp8l.put((byte) 0x2f).putInt((width - 1) | ((height - 1) << 14)).put(junk); // 14 bits each, no alpha, version 0
        ByteBuffer riff = ByteBuffer.allocate(20 + vp8l.capacity()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + vp8l.capacity())
                .put("WEBP".getBytes(StandardCharsets.US_ASCII)).put("VP8L".getBytes(StandardCharsets.US_ASCII))
                .putInt(vp8l.capacity()).put(vp8l.array());
        return riff.array();
    }

    /** Raw deflate of {@code input}, ending in a full flush (more may follow) or as the stream's last block. */
    /** The header of an extended WebP (VP8X) whose canvas is {@code width} x {@code height}, followed by junk. */
    static byte[] webpExtendedClaiming(int width, int height) {
        ByteBuffer vp8x = ByteBuffer.allocate(10).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        vp8x.putInt(0); // flags and reserved bytes
        vp8x.put((byte) (width - 1)).put((byte) ((width - 1) >> 8)).put((byte) ((width - 1) >> 16));
        vp8x.put((byte) (height - 1)).put((byte) ((height - 1) >> 8)).put((byte) ((height - 1) >> 16));
        byte[] junk = new byte[4096];
        ByteBuffer riff = ByteBuffer.allocate(30 + junk.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(22 + junk.length)
                .put("WEBP".getBytes(StandardCharsets.US_ASCII)).put("VP8X".getBytes(StandardCharsets.US_ASCII))
                .putInt(10).put(vp8x.array()).put(junk);
        return riff.array();
    }

    private static byte[] deflateRaw(byte[] input, boolean last) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setInput(input);
            if (last) deflater.finish();
            var out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            while (true) {
                int n = deflater.deflate(buffer, 0, buffer.length, last ? Deflater.NO_FLUSH : Deflater.FULL_FLUSH);
                out.write(buffer, 0, n);
                if (last ? deflater.finished() : n < buffer.length && deflater.needsInput()) break;
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(name);
        png.writeBytes(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
