package io.isotherm.capture;

import org.openqa.selenium.chromium.HasCdp;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A full-page screenshot as viewport-sized tiles, one per scroll position. The viewport keeps its size: stretching
 * it to the page height would stretch 100vh sections too. The last tile is cropped to the captured height; the
 * others are Chromium's PNGs as they come.
 */
final class Stitcher {
    private static final String PNG = "image/png";

    private final HasCdp cdp;
    private final PageScripts page;
    private final int width;
    private final int viewportHeight;
    private final double scale;

    /** @param scale image px per CSS px: below 1 when a phone shows the page zoomed out */
    Stitcher(HasCdp cdp, PageScripts page, int width, int viewportHeight, double scale) {
        this.cdp = cdp;
        this.page = page;
        this.width = width;
        this.viewportHeight = viewportHeight;
        this.scale = scale;
    }

    /** Tiles from the top of the page down to {@code height}; the page must be scrolled to the top. */
    List<Tile> shoot(int height) {
        page.markPinned();
        List<Tile> tiles = new ArrayList<>();
        for (int y = 0; y < height; y += viewportHeight) {
            int scrolled = (int) Math.round(page.scrollTo((int) Math.round(y / scale)) * scale);
            if (y > 0) page.hidePinned();
            page.awaitFrames();
            byte[] png = screenshot();
            // Near the bottom the browser scrolls less than asked: the tile then starts further down the screenshot.
            int tileHeight = Math.min(viewportHeight, height - y);
            int offset = y - scrolled;
            // Scaled scroll positions may be a pixel off: that pixel is taken from inside the screenshot.
            if (scale != 1 && Math.abs(offset - Math.max(0, Math.min(offset, viewportHeight - tileHeight))) <= 1) {
                offset = Math.max(0, Math.min(offset, viewportHeight - tileHeight));
            }
            tiles.add(tile(png, y, tileHeight, offset));
        }
        return tiles;
    }

    private byte[] screenshot() {
        Map<String, Object> result = cdp.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "fromSurface", true, "captureBeyondViewport", false));
        return Base64.getDecoder().decode((String) result.get("data"));
    }

    private Tile tile(byte[] png, int y, int height, int offset) {
        // Width and height from the PNG header (IHDR), so full tiles are not decoded at all.
        ByteBuffer header = ByteBuffer.wrap(png, 16, 8);
        int pngWidth = header.getInt(), pngHeight = header.getInt();
        if (pngWidth < width || offset < 0 || offset + height > pngHeight) {
            throw new IllegalStateException("a " + pngWidth + "x" + pngHeight + " screenshot cannot hold the tile at y="
                    + y + " (" + width + "x" + height + " from row " + offset + ")");
        }
        if (pngWidth == width && offset == 0 && height == pngHeight) return new Tile(y, height, PNG, png);
        return new Tile(y, height, PNG, crop(png, offset, height));
    }

    private byte[] crop(byte[] png, int top, int height) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image.getSubimage(0, top, width, height), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot crop a screenshot", e);
        }
    }
}
