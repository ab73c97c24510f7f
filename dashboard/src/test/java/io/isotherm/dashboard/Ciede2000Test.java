package io.isotherm.dashboard;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The test-side CIEDE2000 against the published test data of Sharma, Wu and Dalal (2005), table 1. */
class Ciede2000Test {
    private static final double[][] PAIRS = {
            // L1, a1, b1, L2, a2, b2, ΔE00
            {50, 2.6772, -79.7751, 50, 0, -82.7485, 2.0425},
            {50, 3.1571, -77.2803, 50, 0, -82.7485, 2.8615},
            {50, 2.8361, -74.0200, 50, 0, -82.7485, 3.4412},
            {50, -1.3802, -84.2814, 50, 0, -82.7485, 1.0000},
            {50, -1.1848, -84.8006, 50, 0, -82.7485, 1.0000},
            {50, -0.9009, -85.5211, 50, 0, -82.7485, 1.0000},
            {50, 0, 0, 50, -1, 2, 2.3669},
            {50, -1, 2, 50, 0, 0, 2.3669},
            {50, 2.4900, -0.0010, 50, -2.4900, 0.0009, 7.1792},
            {50, 2.4900, -0.0010, 50, -2.4900, 0.0011, 7.2195},
            {50, 2.5, 0, 50, 0, -2.5, 4.3065},
            {50, 2.5, 0, 73, 25, -18, 27.1492},
            {60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644},
            {2.0776, 0.0795, -1.1350, 0.9033, -0.0636, -0.5514, 0.9082},
    };

    @Test
    void matches_the_published_reference_pairs_to_four_decimals() {
        for (double[] p : PAIRS) {
            double[] lab1 = {p[0], p[1], p[2]}, lab2 = {p[3], p[4], p[5]};
            assertThat(Ciede2000.difference(lab1, lab2)).as("pair %s", java.util.Arrays.toString(p)).isCloseTo(p[6], within(1e-4));
            assertThat(Ciede2000.difference(lab2, lab1)).as("symmetric").isCloseTo(p[6], within(1e-4));
        }
    }

    @Test
    void srgb_white_black_and_a_saturated_blue_land_where_cielab_puts_them() {
        assertThat(Ciede2000.lab(255, 255, 255)).containsExactly(new double[] {100, 0, 0}, within(0.01));
        assertThat(Ciede2000.lab(0, 0, 0)).containsExactly(new double[] {0, 0, 0}, within(0.01));
        assertThat(Ciede2000.lab(0, 0, 255)).containsExactly(new double[] {32.30, 79.19, -107.86}, within(0.05));
        assertThat(Ciede2000.difference(new int[] {255, 255, 255}, new int[] {255, 255, 255})).isZero();
        assertThat(Ciede2000.difference(new int[] {255, 255, 255}, new int[] {0, 0, 0})).isCloseTo(100, within(0.01));
    }
}
