package io.isotherm.collector;

/**
 * Viewport widths (CSS px) that class a visitor as mobile or tablet when the tracker gives no hint.
 *
 * @param mobileBelow narrower viewports are mobile
 * @param tabletBelow narrower viewports (at least {@code mobileBelow}) are tablets; the rest is desktop
 */
public record DeviceWidths(int mobileBelow, int tabletBelow) {
    public static final DeviceWidths DEFAULT = new DeviceWidths(768, 1024);

    public DeviceWidths {
        if (mobileBelow < 1 || tabletBelow < mobileBelow) {
            throw new IllegalArgumentException("device widths must satisfy 1 <= mobile below (" + mobileBelow
                    + ") <= tablet below (" + tabletBelow + ")");
        }
    }
}
