package io.isotherm.dashboard;

import io.isotherm.dashboard.access.AccessMode;
import io.isotherm.dashboard.access.AccessSettings;
import io.isotherm.dashboard.capture.CaptureSettings;

/**
 * The dashboard role's settings (the launcher reads them from the environment; README has the table).
 *
 * @param capture             the screenshot capturer's browser, limits and address policy
 * @param captureWorker       this process shoots queued captures (any number of dashboards may)
 * @param firstEventCaptures  pages that receive their first events are captured automatically
 * @param uploadMaxBytes      larger uploaded screenshots are refused with 413
 * @param access              who may use the dashboard, and how they sign in
 * @param mobileBelow         the platform's phone threshold (the collector's), shown as the default in site settings
 * @param tabletBelow         the platform's tablet threshold
 */
public record DashboardSettings(CaptureSettings capture, boolean captureWorker, boolean firstEventCaptures, long uploadMaxBytes,
                                AccessSettings access, int mobileBelow, int tabletBelow) {
    public DashboardSettings {
        if (uploadMaxBytes < 1) throw new IllegalArgumentException("uploadMaxBytes must be positive");
    }

    public static DashboardSettings defaults() {
        return new DashboardSettings(CaptureSettings.defaults(), true, true, 20_000_000, AccessSettings.defaults(), 768, 1024);
    }

    public DashboardSettings withCapture(CaptureSettings capture) {
        return new DashboardSettings(capture, captureWorker, firstEventCaptures, uploadMaxBytes, access, mobileBelow, tabletBelow);
    }

    public DashboardSettings withCaptureWorker(boolean captureWorker, boolean firstEventCaptures) {
        return new DashboardSettings(capture, captureWorker, firstEventCaptures, uploadMaxBytes, access, mobileBelow, tabletBelow);
    }

    public DashboardSettings withAccess(AccessSettings access) {
        return new DashboardSettings(capture, captureWorker, firstEventCaptures, uploadMaxBytes, access, mobileBelow, tabletBelow);
    }

    public DashboardSettings withAccess(AccessMode mode) {
        return withAccess(access.withMode(mode));
    }
}
