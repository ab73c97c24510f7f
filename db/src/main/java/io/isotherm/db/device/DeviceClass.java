package io.isotherm.db.device;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The device classes, as the schema's {@code device_class} enum names them: every module and the viewer (through
 * {@code GET /api/platform}) take them from here. The tracker alone keeps its own touch-tablet threshold (t.js),
 * since it decides in the visitor's browser before any answer from the server.
 */
public enum DeviceClass {
    DESKTOP("Desktop", 900), TABLET("Tablet", 1180), MOBILE("Mobile", 844);

    /** Every device class's name, in order: desktop, tablet, mobile. */
    public static final List<String> NAMES = Arrays.stream(values()).map(DeviceClass::sqlName).toList();

    private final String label;
    private final int screenshotViewportHeight;

    DeviceClass(String label, int screenshotViewportHeight) {
        this.label = label;
        this.screenshotViewportHeight = screenshotViewportHeight;
    }

    /**
     * The height of the window the screenshots are taken in, in layout px: the first screen of a screenshot, where
     * fixed elements are drawn (the capture emulates it; the aggregator places fixed clicks in it).
     */
    public int screenshotViewportHeight() {
        return screenshotViewportHeight;
    }

    /** The name stored in {@code device_class} columns and used on the wire: {@code desktop}, … */
    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The name people read: {@code Desktop}, … */
    public String label() {
        return label;
    }

    /** The tracker's hint wins (it knows about coarse pointers); otherwise the viewport width decides. */
    public static DeviceClass of(String hint, int viewportWidth, DeviceWidths widths) {
        return hint != null ? parse(hint) : widths.classify(viewportWidth);
    }

    /** @throws IllegalArgumentException naming the device classes, for anything but one of {@link #NAMES} */
    public static DeviceClass parse(String name) {
        if (name != null && NAMES.contains(name)) return valueOf(name.toUpperCase(Locale.ROOT));
        throw new IllegalArgumentException("must be " + namesText() + (name == null ? "" : ", was " + name));
    }

    /** "desktop, tablet or mobile", for error messages. */
    public static String namesText() {
        return String.join(", ", NAMES.subList(0, NAMES.size() - 1)) + " or " + NAMES.get(NAMES.size() - 1);
    }
}
