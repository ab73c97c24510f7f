package io.isotherm.capture;

import io.isotherm.db.device.DeviceClass;

import java.util.List;
import java.util.Map;

/**
 * How each device class ({@link DeviceClass}) is emulated: viewport height, mobile layout and touch, and a user agent of a regular
 * Chrome on such a device. Every user agent ends with {@link #UA_TOKEN}, by which the collector drops the batches
 * of a tracker running inside a capture.
 */
enum Device {
    DESKTOP(DeviceClass.DESKTOP.screenshotViewportHeight(), false, "X11; Linux x86_64", "", "Linux"),
    TABLET(DeviceClass.TABLET.screenshotViewportHeight(), true, "Linux; Android 10; K", "", "Android"),
    MOBILE(DeviceClass.MOBILE.screenshotViewportHeight(), true, "Linux; Android 10; K", "Mobile ", "Android");

    static final String UA_TOKEN = "Isotherm-Capture/1";

    final int viewportHeight;
    final boolean mobile;
    private final String system;
    private final String mobileToken;
    private final String platform;

    Device(int viewportHeight, boolean mobile, String system, String mobileToken, String platform) {
        this.viewportHeight = viewportHeight;
        this.mobile = mobile;
        this.system = system;
        this.mobileToken = mobileToken;
        this.platform = platform;
    }

    static Device of(String name) {
        try {
            return valueOf(DeviceClass.parse(name).name());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("device " + e.getMessage());
        }
    }

    /** Chrome's reduced user agent (major version only, as Chrome itself sends since 2023). */
    String userAgent(String chromeMajor) {
        return "Mozilla/5.0 (" + system + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + chromeMajor
                + ".0.0.0 " + mobileToken + "Safari/537.36 " + UA_TOKEN;
    }

    /** Parameters of CDP Emulation.setUserAgentOverride: the header, navigator.userAgent and the client hints. */
    Map<String, Object> userAgentOverride(String chromeMajor) {
        List<Map<String, String>> brands = List.of(
                Map.of("brand", "Chromium", "version", chromeMajor),
                Map.of("brand", "Not.A/Brand", "version", "99"));
        Map<String, Object> metadata = Map.of("brands", brands, "platform", platform, "platformVersion", "",
                "architecture", mobile ? "" : "x86", "model", "", "mobile", this == MOBILE);
        return Map.of("userAgent", userAgent(chromeMajor), "platform", mobile ? "Linux armv8l" : "Linux x86_64",
                "userAgentMetadata", metadata);
    }
}
