package io.isotherm.capture;

/**
 * Where an element was drawn, keyed by the selector the tracker reports for clicks on it. Page px at scroll 0,
 * except for elements in or under a fixed or sticky box: their viewport box at scroll 0, as the tracker reports
 * clicks on them in viewport px.
 */
public record ElementBox(String selector, int x, int y, int width, int height) {
}
