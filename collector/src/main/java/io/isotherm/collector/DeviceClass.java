package io.isotherm.collector;

/** desktop / tablet / mobile, as stored in raw_event.device. */
enum DeviceClass {
    DESKTOP, TABLET, MOBILE;

    /** The tracker's hint wins (it knows about coarse pointers); otherwise the viewport width decides. */
    static DeviceClass of(String hint, int viewportWidth, DeviceWidths widths) {
        if (hint != null) {
            return valueOf(hint.toUpperCase(java.util.Locale.ROOT));
        }
        return viewportWidth < widths.mobileBelow() ? MOBILE : viewportWidth < widths.tabletBelow() ? TABLET : DESKTOP;
    }

    String sql() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
