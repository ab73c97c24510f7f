package io.isotherm.collector;

import java.util.List;

/**
 * A visitor's screen for the browser tests: desktops at the widths sites are designed for, and a phone at 2x.
 *
 * @param mobile a phone: the page's viewport meta tag applies
 */
record Screen(String name, int width, int height, double dpr, boolean mobile) {
    static List<Screen> desktopsAndAPhone() {
        return List.of(new Screen("1280", 1280, 800, 1, false), new Screen("1440", 1440, 900, 1, false),
                new Screen("1920", 1920, 1080, 1, false), new Screen("phone", 390, 844, 2, true));
    }

    /** The device class the collector gives this screen by its width. */
    String device() {
        return width < 768 ? "mobile" : width < 1024 ? "tablet" : "desktop";
    }

    @Override
    public String toString() {
        return name;
    }
}
