package io.isotherm.dashboard;

import io.isotherm.dashboard.capture.CaptureSettings;

/**
 * The dashboard role's settings (the launcher reads them from the environment; README has the table).
 *
 * @param capture             the screenshot capturer's browser, limits and address policy
 * @param captureWorker       this process shoots queued captures (any number of dashboards may)
 * @param firstEventCaptures  pages that receive their first events are captured automatically
 * @param uploadMaxBytes      larger uploaded screenshots are refused with 413
 * @param openAccess          answer dashboard requests from any address; by default only from this machine, since
 *                            the dashboard has no login yet
 */
public record DashboardSettings(CaptureSettings capture, boolean captureWorker, boolean firstEventCaptures, long uploadMaxBytes,
                                boolean openAccess) {
    public DashboardSettings {
        if (uploadMaxBytes < 1) throw new IllegalArgumentException("uploadMaxBytes must be positive");
    }

    public static DashboardSettings defaults() {
        return new DashboardSettings(CaptureSettings.defaults(), true, true, 20_000_000, false);
    }

    public DashboardSettings withCapture(CaptureSettings capture) {
        return new DashboardSettings(capture, captureWorker, firstEventCaptures, uploadMaxBytes, openAccess);
    }

    public DashboardSettings withCaptureWorker(boolean captureWorker, boolean firstEventCaptures) {
        return new DashboardSettings(capture, captureWorker, firstEventCaptures, uploadMaxBytes, openAccess);
    }
}
