package io.isotherm.collector;

import io.isotherm.db.event.RawEvent;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/**
 * A click a browser test made, with what the tracker must report for it: the selector, whether it is interactive, its
 * page px and where in the target's box it landed.
 */
record ExpectedClick(String selector, boolean interactive, int x, int y, double boxX, double boxY) {

    /** The stored clicks are these, in order, none fixed: page px to 1 px, in-box positions to 0.005. */
    static void assertStored(List<RawEvent> clicks, List<ExpectedClick> expected) {
        assertThat(clicks).extracting(RawEvent::selector, RawEvent::interactive, RawEvent::fixed)
                .containsExactlyElementsOf(expected.stream().map(e -> tuple(e.selector(), e.interactive(), false)).toList());
        for (int i = 0; i < clicks.size(); i++) {
            RawEvent click = clicks.get(i);
            ExpectedClick truth = expected.get(i);
            assertThat(click.x()).as("x of %s", truth.selector()).isCloseTo(truth.x(), within(1));
            assertThat(click.y()).as("y of %s", truth.selector()).isCloseTo(truth.y(), within(1));
            assertThat((double) click.boxX()).as("boxX of %s", truth.selector()).isCloseTo(truth.boxX(), within(0.005));
            assertThat((double) click.boxY()).as("boxY of %s", truth.selector()).isCloseTo(truth.boxY(), within(0.005));
        }
    }
}
