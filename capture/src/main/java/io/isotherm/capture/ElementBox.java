package io.isotherm.capture;

/**
 * Where an element was drawn, keyed by the selector the tracker reports for clicks on it. Page px at scroll 0,
 * except for elements in or under a fixed or sticky box: their viewport box at scroll 0, as the tracker reports
 * clicks on them in viewport px.
 *
 * @param label a name a person recognises, taken from the page as the capture saw it (its short visible text, else
 *              what its author named it, never a field's value); null when it has none
 */
public record ElementBox(String selector, int x, int y, int width, int height, String label) {
    /** A box without a label. */
    public ElementBox(String selector, int x, int y, int width, int height) {
        this(selector, x, y, width, height, null);
    }
}
