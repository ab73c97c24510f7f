package io.isotherm.capture;

/**
 * One vertical segment of a full-page screenshot.
 *
 * @param y           top of the segment in the page, CSS px
 * @param height      CSS px; the image is layoutWidth x height pixels (device scale factor 1)
 * @param contentType always image/png
 * @param image       the encoded image
 */
public record Tile(int y, int height, String contentType, byte[] image) {
}
