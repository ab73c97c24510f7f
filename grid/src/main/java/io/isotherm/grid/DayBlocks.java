package io.isotherm.grid;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which rows hold a page's counts for a range of days (V20). Every page view's counts are kept as prefix sums in two
 * chains: a day's chain, the rows (its 16-day block's first day, 1 .. 16) holding the block's days up to each day;
 * and an epoch's chain, the rows (its 256-day epoch's first day, 16, 32 .. 256) holding the epoch's blocks up to each
 * block. A chain has a row only where a day or block had counts, so a reader takes the longest row not past the day it
 * needs ({@link Term}). Any range is then a signed sum of a few such rows: four within an epoch, six across two, so a
 * year costs what a week costs.
 */
public final class DayBlocks {
    /** Days in a block, the unit of the epoch's chain. */
    public static final int BLOCK = 16;
    /** Days in an epoch: its chain has {@code EPOCH / BLOCK} steps. */
    public static final int EPOCH = 256;

    /** A row: the sum of {@code span} days from {@code first}. */
    public record Block(int span, LocalDate first) {
        public LocalDate last() {
            return first.plusDays(span - 1);
        }
    }

    /**
     * A chain of prefix rows from {@code first}: rows of spans {@code step, 2·step …} up to {@code length}. A day at
     * {@code offset} (the span of the row that ends with it) is in every row of the chain from that span on.
     */
    public record Chain(LocalDate first, int step, int length, int offset) {}

    /**
     * {@code sign} times the longest row of the chain from {@code first} (spans a multiple of {@code step}) whose span
     * is at most {@code span}: for each band or target, the sum of its counts from {@code first} to
     * {@code first + span - 1}.
     */
    public record Term(int sign, LocalDate first, int span, int step) {}

    private DayBlocks() {
    }

    /** The first day of the aligned block of {@code size} days that holds the day. */
    public static LocalDate start(int size, LocalDate day) {
        long epochDay = day.toEpochDay();
        return LocalDate.ofEpochDay(epochDay - Math.floorMod(epochDay, size));
    }

    /** The day's chain (its block's days) and its block's chain (the epoch's blocks): where new counts of the day go. */
    public static List<Chain> chains(LocalDate day) {
        LocalDate block = start(BLOCK, day), epoch = start(EPOCH, day);
        return List.of(new Chain(block, 1, BLOCK, span(block, day)), new Chain(epoch, BLOCK, EPOCH, span(epoch, block) + BLOCK - 1));
    }

    /** Where new counts of the day go for a segment's own counts (V18): its own row, the day alone. */
    public static List<Chain> day(LocalDate day) {
        return List.of(new Chain(day, 1, 1, 1));
    }

    /** The rows whose signed sum is the counts of the days from {@code from} to {@code to}. */
    public static List<Term> terms(LocalDate from, LocalDate to) {
        if (from.isAfter(to)) throw new IllegalArgumentException("from must not be after to");
        Map<Term, Integer> signs = new LinkedHashMap<>();
        LocalDate firstEpoch = start(EPOCH, from), lastEpoch = start(EPOCH, to);
        if (!firstEpoch.equals(lastEpoch)) {
            // The rest of the first epoch, whole epochs between, and the last epoch up to the range's end.
            for (LocalDate epoch = firstEpoch; epoch.isBefore(lastEpoch); epoch = epoch.plusDays(EPOCH)) {
                add(signs, new Term(1, epoch, EPOCH, BLOCK));
            }
        }
        prefix(signs, to, 1);
        if (from.isAfter(firstEpoch)) prefix(signs, from.minusDays(1), -1);
        List<Term> terms = new ArrayList<>();
        // A term and its opposite (a block's epoch part of both ends) cancel out.
        signs.forEach((t, sign) -> {
            if (sign != 0) terms.add(new Term(sign, t.first(), t.span(), t.step()));
        });
        return terms;
    }

    /**
     * The counts of the day's epoch from its first day to the day: the epoch's blocks before its block, its block up to
     * it; or the epoch's blocks up to its block's end, if the day ends it.
     */
    private static void prefix(Map<Term, Integer> signs, LocalDate day, int sign) {
        LocalDate block = start(BLOCK, day), epoch = start(EPOCH, day);
        if (span(block, day) == BLOCK) {
            add(signs, new Term(sign, epoch, span(epoch, day), BLOCK));
            return;
        }
        if (block.isAfter(epoch)) add(signs, new Term(sign, epoch, span(epoch, block) - 1, BLOCK));
        add(signs, new Term(sign, block, span(block, day), 1));
    }

    private static void add(Map<Term, Integer> signs, Term t) {
        signs.merge(new Term(1, t.first(), t.span(), t.step()), t.sign(), Integer::sum);
    }

    /** Days from {@code first} to {@code last}, both counted. */
    private static int span(LocalDate first, LocalDate last) {
        return (int) (last.toEpochDay() - first.toEpochDay()) + 1;
    }
}
