package io.isotherm.dashboard;

/**
 * The CIEDE2000 colour difference (CIE 142-2001), as Sharma, Wu and Dalal's implementation notes (2005) spell it out,
 * and sRGB (D65) to CIELAB: how far apart two colours look to a person. About 1 is just noticeable side by side;
 * differences of 10 and more are obvious at a glance.
 */
final class Ciede2000 {
    private Ciede2000() {
    }

    /** CIELAB {L, a, b} of an sRGB colour, 0..255 per channel, under D65. */
    static double[] lab(int r, int g, int b) {
        double lr = linear(r), lg = linear(g), lb = linear(b);
        double x = (0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / 0.95047;
        double y = 0.2126729 * lr + 0.7151522 * lg + 0.0721750 * lb;
        double z = (0.0193339 * lr + 0.1191920 * lg + 0.9503041 * lb) / 1.08883;
        double fx = f(x), fy = f(y), fz = f(z);
        return new double[] {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
    }

    private static double linear(int channel) {
        double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    private static double f(double t) {
        double e = 216.0 / 24389, k = 24389.0 / 27;
        return t > e ? Math.cbrt(t) : (k * t + 16) / 116;
    }

    /** ΔE00 between two sRGB colours. */
    static double difference(int[] rgb1, int[] rgb2) {
        return difference(lab(rgb1[0], rgb1[1], rgb1[2]), lab(rgb2[0], rgb2[1], rgb2[2]));
    }

    /** ΔE00 between two CIELAB colours {L, a, b}, with kL = kC = kH = 1. */
    static double difference(double[] lab1, double[] lab2) {
        double l1 = lab1[0], a1 = lab1[1], b1 = lab1[2];
        double l2 = lab2[0], a2 = lab2[1], b2 = lab2[2];
        double cMean = (Math.hypot(a1, b1) + Math.hypot(a2, b2)) / 2;
        double c7 = Math.pow(cMean, 7);
        double g = 0.5 * (1 - Math.sqrt(c7 / (c7 + Math.pow(25, 7))));
        double ap1 = (1 + g) * a1, ap2 = (1 + g) * a2;
        double cp1 = Math.hypot(ap1, b1), cp2 = Math.hypot(ap2, b2);
        double hp1 = hue(ap1, b1), hp2 = hue(ap2, b2);

        double dL = l2 - l1;
        double dC = cp2 - cp1;
        double dh;
        if (cp1 * cp2 == 0) dh = 0;
        else if (Math.abs(hp2 - hp1) <= 180) dh = hp2 - hp1;
        else if (hp2 - hp1 > 180) dh = hp2 - hp1 - 360;
        else dh = hp2 - hp1 + 360;
        double dH = 2 * Math.sqrt(cp1 * cp2) * Math.sin(Math.toRadians(dh / 2));

        double lMean = (l1 + l2) / 2;
        double cpMean = (cp1 + cp2) / 2;
        double hMean;
        if (cp1 * cp2 == 0) hMean = hp1 + hp2;
        else if (Math.abs(hp1 - hp2) <= 180) hMean = (hp1 + hp2) / 2;
        else if (hp1 + hp2 < 360) hMean = (hp1 + hp2 + 360) / 2;
        else hMean = (hp1 + hp2 - 360) / 2;

        double t = 1 - 0.17 * cos(hMean - 30) + 0.24 * cos(2 * hMean) + 0.32 * cos(3 * hMean + 6) - 0.20 * cos(4 * hMean - 63);
        double dTheta = 30 * Math.exp(-Math.pow((hMean - 275) / 25, 2));
        double cp7 = Math.pow(cpMean, 7);
        double rC = 2 * Math.sqrt(cp7 / (cp7 + Math.pow(25, 7)));
        double l50 = (lMean - 50) * (lMean - 50);
        double sL = 1 + 0.015 * l50 / Math.sqrt(20 + l50);
        double sC = 1 + 0.045 * cpMean;
        double sH = 1 + 0.015 * cpMean * t;
        double rT = -Math.sin(Math.toRadians(2 * dTheta)) * rC;
        double tl = dL / sL, tc = dC / sC, th = dH / sH;
        return Math.sqrt(tl * tl + tc * tc + th * th + rT * tc * th);
    }

    /** Hue angle in degrees 0..360; 0 for a grey. */
    private static double hue(double a, double b) {
        if (a == 0 && b == 0) return 0;
        double h = Math.toDegrees(Math.atan2(b, a));
        return h < 0 ? h + 360 : h;
    }

    private static double cos(double degrees) {
        return Math.cos(Math.toRadians(degrees));
    }
}
