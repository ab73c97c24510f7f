package io.isotherm.dashboard;

import io.isotherm.capture.CaptureSettings;
import io.isotherm.dashboard.access.AccessMode;
import io.isotherm.dashboard.access.AccessSettings;
import io.isotherm.db.device.DeviceWidths;

/**
 * The dashboard role's settings (the launcher reads them from the environment; README has the table).
 *
 * @param capture             the screenshot capturer's browser, limits and address policy
 * @param captureWorker       this process shoots queued captures (any number of dashboards may)
 * @param firstEventCaptures  pages with real traffic (several page views) are captured automatically, within a per-site hourly limit
 * @param uploadMaxBytes      larger uploaded screenshots are refused with 413
 * @param access              who may use the dashboard, and how they sign in
 * @param deviceWidths        the platform's phone and tablet thresholds (the collector's), shown as defaults in site settings
 * @param retentionDays       the platform's retention (the aggregator's), shown as the default in site settings
 * @param uploadMaxPixels     uploaded screenshots with more pixels (width x height, read from the header) are refused
 *                            with 413 before they are decoded
 */
public record DashboardSettings(CaptureSettings capture, boolean captureWorker, boolean firstEventCaptures, long uploadMaxBytes,
                                AccessSettings access, DeviceWidths deviceWidths, int retentionDays, long uploadMaxPixels) {
    public DashboardSettings {
        if (uploadMaxBytes < 1) throw new IllegalArgumentException("uploadMaxBytes must be positive");
        if (uploadMaxPixels < 1) throw new IllegalArgumentException("uploadMaxPixels must be positive");
    }

    /** With the default pixel limit of uploads. */
    public DashboardSettings(CaptureSettings capture, boolean captureWorker, boolean firstEventCaptures, long uploadMaxBytes,
                             AccessSettings access, DeviceWidths deviceWidths, int retentionDays) {
        this(capture, captureWorker, firstEventCaptures, uploadMaxBytes, access, deviceWidths, retentionDays, ScreenshotCheck.DEFAULT_MAX_PIXELS);
    }

    public static DashboardSettings defaults() {
        return new DashboardSettings(CaptureSettings.defaults(), true, true, 20_000_000, AccessSettings.defaults(), DeviceWidths.DEFAULT, 30);
    }

    public DashboardSettings withUploadMaxPixels(long uploadMaxPixels) {
        return new DashboardSettings(capture, captureWorker, firstEventCaptures, uploadMaxBytes, access, deviceWidths, retentionDays, uploadMaxPixels);
    }

    public DashboardSettings withCapture(CaptureSettings capture) {
        return new DashboardSettings(capture, captureWorker, firstEventCaptures, uploadMaxBytes, access, deviceWidths, retentionDays, uploadMaxPixels);
    }

    public DashboardSettings withCaptureWorker(boolean captureWorker, boolean firstEventCaptures) {
        return new DashboardSettings(capture, captureWorker, firstEventCaptures, uploadMaxBytes, access, deviceWidths, retentionDays, uploadMaxPixels);
    }

    public DashboardSettings withAccess(AccessSettings access) {
        return new DashboardSettings(capture, captureWorker, firstEventCaptures, uploadMaxBytes, access, deviceWidths, retentionDays, uploadMaxPixels);
    }

    public DashboardSettings withAccess(AccessMode mode) {
        return withAccess(access.withMode(mode));
    }
}
