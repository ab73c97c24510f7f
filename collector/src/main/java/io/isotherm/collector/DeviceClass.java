package io.isotherm.collector;

/** desktop / tablet / mobile, as stored in raw_event.device. */
enum DeviceClass {
    DESKTOP, TABLET, MOBILE;

    /** Below these viewport widths (CSS px) a visitor counts as mobile, then tablet. */
    static final int MOBILE_BELOW = 768;
    static final int TABLET_BELOW = 1024;

    /** The tracker's hint wins (it knows about coarse pointers); otherwise the viewport width decides. */
    static DeviceClass of(String hint, int viewportWidth) {
        if (hint != null) {
            return valueOf(hint.toUpperCase(java.util.Locale.ROOT));
        }
        return viewportWidth < MOBILE_BELOW ? MOBILE : viewportWidth < TABLET_BELOW ? TABLET : DESKTOP;
    }

    String sql() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
