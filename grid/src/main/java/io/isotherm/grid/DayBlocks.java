package io.isotherm.grid;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The blocks of days that counts are kept in: single days, and aligned blocks of 4, 16, 64 and 256 days (a block of
 * span s starts on an epoch day divisible by s, so each block is exactly four blocks of the span below). Any range is
 * covered by a few blocks, at most three of each span at either end, so reading a year costs about what a week costs.
 */
public final class DayBlocks {
    /** Spans in days, smallest first. */
    public static final int[] SPANS = {1, 4, 16, 64, 256};

    /** A block: {@code span} days from {@code first}. */
    public record Block(int span, LocalDate first) {
        public LocalDate last() {
            return first.plusDays(span - 1);
        }
    }

    private DayBlocks() {
    }

    /** The block of this span that holds the day. */
    public static Block of(int span, LocalDate day) {
        long epochDay = day.toEpochDay();
        return new Block(span, LocalDate.ofEpochDay(epochDay - Math.floorMod(epochDay, span)));
    }

    /** Every block above a single day that holds the day, smallest first. */
    public static List<Block> above(LocalDate day) {
        List<Block> blocks = new ArrayList<>(SPANS.length - 1);
        for (int i = 1; i < SPANS.length; i++) blocks.add(of(SPANS[i], day));
        return blocks;
    }

    /**
     * The fewest blocks that together hold exactly the days from {@code from} to {@code to}, left to right, using only
     * blocks below {@code maxSpan} and none that {@code stale} rejects (their sums are not current; single days are
     * always current). Greedy: at each day, the largest aligned block that fits.
     */
    public static List<Block> cover(LocalDate from, LocalDate to, int maxSpan, Predicate<Block> stale) {
        List<Block> blocks = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); ) {
            Block chosen = new Block(1, day);
            for (int i = SPANS.length - 1; i > 0; i--) {
                int span = SPANS[i];
                if (span >= maxSpan || Math.floorMod(day.toEpochDay(), span) != 0) continue;
                Block block = new Block(span, day);
                if (!block.last().isAfter(to) && !stale.test(block)) {
                    chosen = block;
                    break;
                }
            }
            blocks.add(chosen);
            day = day.plusDays(chosen.span());
        }
        return blocks;
    }
}
