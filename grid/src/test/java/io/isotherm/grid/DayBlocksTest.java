package io.isotherm.grid;

import io.isotherm.grid.DayBlocks.Block;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class DayBlocksTest {
    private static final int[] MAX_SPANS = {2, 4, 16, 64, 256, Integer.MAX_VALUE};
    private static final Predicate<Block> NONE_STALE = b -> false;

    @Test
    void a_block_of_a_span_starts_on_an_epoch_day_divisible_by_it() {
        LocalDate day = LocalDate.ofEpochDay(20_000 + 256 + 64 + 16 + 4 + 3); // 20000 = 78·256 + 32
        assertThat(DayBlocks.of(1, day)).isEqualTo(new Block(1, day));
        assertThat(DayBlocks.of(4, day).first().toEpochDay()).isEqualTo(20_000 + 256 + 64 + 16 + 4);
        assertThat(DayBlocks.of(16, day).first().toEpochDay()).isEqualTo(20_000 + 256 + 64 + 16);
        assertThat(DayBlocks.of(64, day).first().toEpochDay()).isEqualTo(78 * 256 + 256 + 64);
        assertThat(DayBlocks.of(256, day).first().toEpochDay()).isEqualTo(79 * 256);
        assertThat(DayBlocks.of(16, day).last()).isEqualTo(LocalDate.ofEpochDay(20_000 + 256 + 64 + 31));
        // Before 1970 too: 1969-12-31 is epoch day -1.
        LocalDate eve = LocalDate.of(1969, 12, 31);
        assertThat(DayBlocks.of(4, eve)).isEqualTo(new Block(4, LocalDate.of(1969, 12, 28)));
        assertThat(DayBlocks.of(256, eve).first().toEpochDay()).isEqualTo(-256);
        assertThat(DayBlocks.of(256, LocalDate.ofEpochDay(0)).first().toEpochDay()).isZero();
    }

    @Test
    void above_a_day_are_one_block_of_each_longer_span_that_holds_it_nested_smallest_first() {
        Random random = new Random(11);
        for (int i = 0; i < 2000; i++) {
            LocalDate day = LocalDate.ofEpochDay(random.nextInt(200_000) - 100_000);
            List<Block> above = DayBlocks.above(day);
            assertThat(above).extracting(Block::span).containsExactly(4, 16, 64, 256);
            Block below = new Block(1, day);
            for (Block b : above) {
                assertThat(Math.floorMod(b.first().toEpochDay(), b.span())).isZero();
                assertThat(day).isBetween(b.first(), b.last());
                assertThat(below.first()).isBetween(b.first(), b.last());
                assertThat(below.last()).isBetween(b.first(), b.last());
                assertThat(b).isEqualTo(DayBlocks.of(b.span(), day));
                below = b;
            }
        }
    }

    @Test
    void every_range_in_a_window_is_covered_exactly_by_the_fewest_allowed_blocks() {
        // Windows on either side of 1970 and off every alignment (the first holds one 256-day block); every range
        // inside each, under every limit, with no stale block and with a third of the blocks stale.
        record Window(long start, int days) {}
        for (Window w : List.of(new Window(20_000 - 37, 270), new Window(-300 - 5, 90))) {
            Set<Block> stale = randomStale(w.start(), w.days(), new Random(w.start()));
            for (int maxSpan : MAX_SPANS) {
                for (Predicate<Block> isStale : List.<Predicate<Block>>of(NONE_STALE, stale::contains)) {
                    for (int from = 0; from < w.days(); from++) {
                        LocalDate first = LocalDate.ofEpochDay(w.start() + from);
                        int[] fewest = fewest(first, w.days() - from, maxSpan, isStale);
                        for (int to = from; to < w.days(); to++) {
                            LocalDate last = LocalDate.ofEpochDay(w.start() + to);
                            List<Block> cover = DayBlocks.cover(first, last, maxSpan, isStale);
                            assertCovers(cover, first, last, maxSpan, isStale);
                            int best = fewest[to - from + 1];
                            check(cover.size() == best, () -> "not the fewest (" + best + "): " + cover);
                        }
                    }
                }
            }
        }
    }

    @Test
    void with_no_stale_block_a_range_takes_at_most_three_blocks_of_each_span_at_either_end() {
        // Every start modulo 256 and every length up to three years: the longest take 26 blocks (255 days at each
        // end as 3 + 3·4 + 3·16 + 3·64, two blocks of 256 between).
        int most = 0;
        for (int start = 0; start < 256; start++) {
            LocalDate first = LocalDate.ofEpochDay(80L * 256 + start);
            for (int days = 1; days <= 3 * 366; days++) {
                LocalDate last = first.plusDays(days - 1);
                List<Block> cover = DayBlocks.cover(first, last, Integer.MAX_VALUE, NONE_STALE);
                assertCovers(cover, first, last, Integer.MAX_VALUE, NONE_STALE);
                assertEndsShape(cover);
                most = Math.max(most, cover.size());
            }
        }
        assertThat(most).isEqualTo(26);
        LocalDate worst = LocalDate.ofEpochDay(80L * 256 + 1);
        assertThat(DayBlocks.cover(worst, worst.plusDays(1021), Integer.MAX_VALUE, NONE_STALE)).hasSize(26);
    }

    @Test
    void random_long_ranges_are_covered_exactly_and_compactly() {
        Random random = new Random(20261206);
        for (int i = 0; i < 1000; i++) {
            LocalDate first = LocalDate.ofEpochDay(random.nextInt(100_000) - 50_000);
            int days = 1 + (i % 3 == 0 ? random.nextInt(20 * 366) : random.nextInt(3 * 366));
            LocalDate last = first.plusDays(days - 1);
            int maxSpan = MAX_SPANS[random.nextInt(MAX_SPANS.length)];
            List<Block> cover = DayBlocks.cover(first, last, maxSpan, NONE_STALE);
            assertCovers(cover, first, last, maxSpan, NONE_STALE);
            assertEndsShape(cover);
            assertThat(cover).hasSize(fewest(first, days, maxSpan, NONE_STALE)[days]);

            Set<Block> stale = randomStale(first.toEpochDay(), days, random);
            List<Block> avoiding = DayBlocks.cover(first, last, maxSpan, stale::contains);
            assertCovers(avoiding, first, last, maxSpan, stale::contains);
            assertThat(avoiding).hasSize(fewest(first, days, maxSpan, stale::contains)[days]);
        }
    }

    @Test
    void single_days_are_always_current_and_stale_blocks_fall_back_to_the_blocks_below() {
        LocalDate first = LocalDate.ofEpochDay(80L * 256);
        LocalDate last = first.plusDays(255);
        assertThat(DayBlocks.cover(first, last, Integer.MAX_VALUE, NONE_STALE)).containsExactly(new Block(256, first));
        assertThat(DayBlocks.cover(first, last, 256, NONE_STALE)).extracting(Block::span).containsExactly(64, 64, 64, 64);
        assertThat(DayBlocks.cover(first, last, Integer.MAX_VALUE, b -> true)).hasSize(256).allMatch(b -> b.span() == 1);

        // The 256-block and its second 64-block are stale: three 64s and the four 16s of the second.
        Set<Block> stale = Set.of(new Block(256, first), new Block(64, first.plusDays(64)));
        assertThat(DayBlocks.cover(first, last, Integer.MAX_VALUE, stale::contains)).containsExactly(
                new Block(64, first), new Block(16, first.plusDays(64)), new Block(16, first.plusDays(80)),
                new Block(16, first.plusDays(96)), new Block(16, first.plusDays(112)), new Block(64, first.plusDays(128)),
                new Block(64, first.plusDays(192)));
        assertThat(DayBlocks.cover(first, first, Integer.MAX_VALUE, NONE_STALE)).containsExactly(new Block(1, first));
    }

    // Plain checks in the loops below: they run for millions of blocks, too many for an assertion object each.

    /** Contiguous, aligned, exactly [first, last], every block allowed. */
    private static void assertCovers(List<Block> cover, LocalDate first, LocalDate last, int maxSpan, Predicate<Block> stale) {
        Supplier<String> what = () -> "cover of " + first + " to " + last + " below " + maxSpan + ": " + cover;
        check(!cover.isEmpty(), what);
        check(cover.get(cover.size() - 1).last().equals(last), what);
        LocalDate next = first;
        for (Block b : cover) {
            check(b.first().equals(next), what);
            check(Arrays.stream(DayBlocks.SPANS).anyMatch(s -> s == b.span()), what);
            check(Math.floorMod(b.first().toEpochDay(), b.span()) == 0, what);
            check(b.span() == 1 || b.span() < maxSpan && !stale.test(b), what);
            next = b.last().plusDays(1);
        }
    }

    /** Spans rise, then fall; each span short of the longest used appears at most three times on either side. */
    private static void assertEndsShape(List<Block> cover) {
        int peak = cover.stream().mapToInt(Block::span).max().orElseThrow();
        int i = 0, run = 0, previous = 0;
        for (; i < cover.size() && cover.get(i).span() < peak; i++) {
            int span = cover.get(i).span();
            check(span >= previous, () -> "rising: " + cover);
            run = span == previous ? run + 1 : 1;
            check(run <= 3, () -> "left end: " + cover);
            previous = span;
        }
        while (i < cover.size() && cover.get(i).span() == peak) i++;
        run = 0;
        previous = peak;
        for (; i < cover.size(); i++) {
            int span = cover.get(i).span();
            check(span < peak && span <= previous, () -> "falling: " + cover);
            run = span == previous ? run + 1 : 1;
            check(run <= 3, () -> "right end: " + cover);
            previous = span;
        }
    }

    private static void check(boolean ok, Supplier<String> what) {
        if (!ok) throw new AssertionError(what.get());
    }

    /**
     * The fewest allowed blocks that cover the {@code k} days from {@code first}, for every k up to {@code days}: a
     * shortest path over the days, each step any block that may be used there.
     */
    private static int[] fewest(LocalDate first, int days, int maxSpan, Predicate<Block> stale) {
        int[] fewest = new int[days + 1];
        Arrays.fill(fewest, Integer.MAX_VALUE);
        fewest[0] = 0;
        for (int d = 0; d < days; d++) {
            if (fewest[d] == Integer.MAX_VALUE) continue;
            LocalDate day = first.plusDays(d);
            for (int span : DayBlocks.SPANS) {
                if (d + span > days || Math.floorMod(day.toEpochDay(), span) != 0) continue;
                if (span > 1 && (span >= maxSpan || stale.test(new Block(span, day)))) continue;
                fewest[d + span] = Math.min(fewest[d + span], fewest[d] + 1);
            }
        }
        return fewest;
    }

    /** About a third of the longer blocks that touch the days, stale. */
    private static Set<Block> randomStale(long firstEpochDay, int days, Random random) {
        Set<Block> stale = new HashSet<>();
        for (int span : DayBlocks.SPANS) {
            if (span == 1) continue;
            long start = Math.floorDiv(firstEpochDay, span) * span;
            for (long d = start; d < firstEpochDay + days; d += span) {
                if (random.nextInt(3) == 0) stale.add(new Block(span, LocalDate.ofEpochDay(d)));
            }
        }
        return stale;
    }
}
