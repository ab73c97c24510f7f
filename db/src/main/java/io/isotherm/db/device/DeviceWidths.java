package io.isotherm.db.device;

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

    /**
     * These (the platform's) widths with a site's own thresholds where it has any; null keeps the platform's.
     * When only one is the site's and it contradicts the other (its mobileBelow at or above the platform's
     * tabletBelow, or its tabletBelow at or below the platform's mobileBelow), the site's value is kept as its
     * owner set it and the platform's is moved onto it: that site then has no tablet range, rather than a
     * threshold its owner chose being ignored. Both set but contradicting each other cannot be stored (the
     * site table checks it); should it happen anyway, the platform's widths apply.
     */
    public DeviceWidths forSite(Integer siteMobileBelow, Integer siteTabletBelow) {
        if (siteMobileBelow == null && siteTabletBelow == null) {
            return this;
        }
        int mobile = siteMobileBelow != null ? siteMobileBelow : mobileBelow;
        int tablet = siteTabletBelow != null ? siteTabletBelow : tabletBelow;
        if (mobile < 1) {
            return this;
        }
        if (tablet < mobile) {
            if (siteMobileBelow != null && siteTabletBelow != null) {
                return this;
            }
            return siteMobileBelow != null ? new DeviceWidths(mobile, mobile) : new DeviceWidths(tablet, tablet);
        }
        return new DeviceWidths(mobile, tablet);
    }

    /** The device class of a viewport this wide, when the tracker gave no hint. */
    public DeviceClass classify(int viewportWidth) {
        return viewportWidth < mobileBelow ? DeviceClass.MOBILE : viewportWidth < tabletBelow ? DeviceClass.TABLET : DeviceClass.DESKTOP;
    }
}
