package io.isotherm.capture;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * What to capture.
 *
 * @param url            the page
 * @param allowedOrigins the site's origins, like {@code https://shop.example} (scheme://host[:port]); the page and
 *                       every navigation of the main frame must stay on them
 * @param device         desktop, tablet or mobile
 * @param layoutWidth    the viewport width in CSS px; the screenshot is this many pixels wide
 */
public record CaptureTarget(URI url, List<String> allowedOrigins, String device, int layoutWidth) {

    public CaptureTarget {
        Objects.requireNonNull(url, "url");
        allowedOrigins = List.copyOf(allowedOrigins);
        Device.of(device); // fails early on an unknown device class
        if (layoutWidth < 200 || layoutWidth > 4000) {
            throw new IllegalArgumentException("layoutWidth must be between 200 and 4000 px, was " + layoutWidth);
        }
    }
}
