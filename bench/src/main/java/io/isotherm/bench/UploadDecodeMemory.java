package io.isotherm.bench;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * What decoding an uploaded progressive JPEG costs outside the Java heap: the peak resident memory of this process
 * before and after one decode, done as the dashboard's ScreenshotCheck does it (header first, then the whole file at
 * an eighth of its resolution). The file is a small progressive JPEG whose frame header is patched to the size
 * given: the decoder sizes its coefficient buffers from the header, so the cost is the same as a real image's.
 * Run each case in a fresh JVM: the peak is per process.
 */
public final class UploadDecodeMemory {
    private static final String USAGE = "usage: UploadDecodeMemory --width PX --height PX [--colour grey|420|444] [--extra-scans N]";

    public static void main(String[] argv) throws Exception {
        var args = new Args(argv, USAGE, Set.of("width", "height", "colour", "extra-scans"));
        int width = args.integer("width", 0);
        int height = args.integer("height", 0);
        String colour = args.text("colour", "420");
        if (width < 1 || width > 65_535 || height < 1 || height > 65_535) args.fail("--width and --height must be 1 to 65535");
        if (!Set.of("grey", "420", "444").contains(colour)) args.fail("--colour must be grey, 420 or 444");
        int extraScans = args.integer("extra-scans", 0);

        byte[] jpeg = withEmptyScans(progressiveJpegClaiming(width, height, colour), extraScans);
        long before = peakResidentKb();
        long started = System.nanoTime();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            try {
                reader.setInput(in, true, true);
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(8, 8, 0, 0);
                reader.read(0, param);
            } finally {
                reader.dispose();
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        long after = peakResidentKb();
        System.out.printf("progressive JPEG %d x %d px (%,d pixels, %s, %d extra scans, %,d bytes): decoded in %,d ms; peak RSS %d MB -> %d MB (+%d MB)%n",
                width, height, (long) width * height, colour, extraScans, jpeg.length, millis, before / 1024, after / 1024, (after - before) / 1024);
    }

    /** Empty refinement scans of the first component before the end: each costs a walk over all its blocks. */
    private static byte[] withEmptyScans(byte[] jpeg, int count) {
        byte[] scan = {(byte) 0xff, (byte) 0xda, 0, 8, 1, 1, 0, 1, 63, 0};
        var out = new ByteArrayOutputStream();
        out.write(jpeg, 0, jpeg.length - 2);
        for (int i = 0; i < count; i++) out.writeBytes(scan);
        out.write(jpeg, jpeg.length - 2, 2);
        return out.toByteArray();
    }

    private static byte[] progressiveJpegClaiming(int width, int height, String colour) throws Exception {
        boolean grey = colour.equals("grey");
        BufferedImage image = new BufferedImage(256, 256, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        var out = new ByteArrayOutputStream();
        try (var stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = out.toByteArray();
        for (int i = 2; i + 8 < jpeg.length; ) {
            int marker = jpeg[i + 1] & 0xff;
            int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            if (marker == 0xc2) { // SOF2: length, precision, height, width, components (id, sampling, table)
                jpeg[i + 5] = (byte) (height >> 8);
                jpeg[i + 6] = (byte) height;
                jpeg[i + 7] = (byte) (width >> 8);
                jpeg[i + 8] = (byte) width;
                if (colour.equals("444")) jpeg[i + 11] = 0x11; // the luma's 2x2 sampling: chroma then at full resolution
                return jpeg;
            }
            i += 2 + length;
        }
        throw new IllegalStateException("the JPEG writer wrote no progressive frame");
    }

    private static long peakResidentKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        throw new IllegalStateException("no VmHWM in /proc/self/status (Linux only)");
    }
}
