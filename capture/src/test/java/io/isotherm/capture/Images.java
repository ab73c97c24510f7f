package io.isotherm.capture;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Decoding, stitching and making test images. */
final class Images {
    static final int RED = 0xff0000, GREEN = 0x00ff00, BLUE = 0x0000ff, YELLOW = 0xffff00, MAGENTA = 0xff00ff;

    private Images() {
    }

    static BufferedImage decode(byte[] png) {
        try {
            return ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tiles one below the other, checking that each is layoutWidth wide, as tall as it says, and adjoins the last. */
    static BufferedImage stitch(Shot shot) {
        BufferedImage page = new BufferedImage(shot.width(), shot.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = page.createGraphics();
        int y = 0;
        for (Tile tile : shot.tiles()) {
            BufferedImage image = decode(tile.image());
            assertThat(tile.contentType()).isEqualTo("image/png");
            assertThat(tile.y()).as("tile start").isEqualTo(y);
            assertThat(image.getWidth()).as("tile width").isEqualTo(shot.width());
            assertThat(image.getHeight()).as("tile height").isEqualTo(tile.height());
            g.drawImage(image, 0, y, null);
            y += tile.height();
        }
        g.dispose();
        assertThat(y).as("tiles cover the captured height").isEqualTo(shot.height());
        return page;
    }

    static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xffffff;
    }

    static byte[] solid(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(rgb));
        g.fillRect(0, 0, width, height);
        g.dispose();
        return png(image);
    }

    /** Random pixels: PNG cannot compress them, so the file is about 3 bytes per pixel. */
    static byte[] noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) image.setRGB(x, y, random.nextInt(0x1000000));
        }
        return png(image);
    }

    private static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The box of the element with that selector, without its label (CaptureLabelsTest checks those). */
    static ElementBox box(Shot shot, String selector) {
        List<ElementBox> found = shot.elements().stream().filter(b -> b.selector().equals(selector)).toList();
        assertThat(found).as("boxes with selector %s", selector).hasSize(1);
        ElementBox b = found.get(0);
        return new ElementBox(b.selector(), b.x(), b.y(), b.width(), b.height());
    }
}
