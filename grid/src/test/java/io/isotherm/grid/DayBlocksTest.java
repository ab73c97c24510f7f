package io.isotherm.grid;

import io.isotherm.grid.DayBlocks.Block;
import io.isotherm.grid.DayBlocks.Chain;
import io.isotherm.grid.DayBlocks.Term;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prefix rows (V20) without a database: a model day → count stands for a band's counts, ChainRows builds the rows
 * as the refresh does, and every range read through its terms must give the model's sum of its days.
 */
class DayBlocksTest {
    /** Epoch day 20,000 is 78·256 + 32: windows start off every alignment, and on both sides of 1970. */
    private static final long[] WINDOW_STARTS = {20_000 - 300, 20_000 + 5, -600, 78 * 256 - 1};

    @Test
    void blocks_and_epochs_start_on_epoch_days_divisible_by_their_length() {
        LocalDate day = LocalDate.ofEpochDay(20_000 + 256 + 16 + 3);
        assertThat(DayBlocks.start(16, day).toEpochDay()).isEqualTo(20_000 + 256 + 16);
        assertThat(DayBlocks.start(256, day).toEpochDay()).isEqualTo(79 * 256);
        assertThat(DayBlocks.start(16, LocalDate.of(1969, 12, 31))).isEqualTo(LocalDate.of(1969, 12, 16));
        assertThat(DayBlocks.start(256, LocalDate.of(1969, 12, 31)).toEpochDay()).isEqualTo(-256);

        // The 20th day of an epoch: the second day of its second block.
        LocalDate epoch = LocalDate.ofEpochDay(79 * 256);
        assertThat(DayBlocks.chains(epoch.plusDays(17))).containsExactly(
                new Chain(epoch.plusDays(16), 1, 16, 2), new Chain(epoch, 16, 256, 32));
        assertThat(DayBlocks.chains(epoch)).containsExactly(new Chain(epoch, 1, 16, 1), new Chain(epoch, 16, 256, 16));
        assertThat(DayBlocks.chains(epoch.plusDays(255))).containsExactly(
                new Chain(epoch.plusDays(240), 1, 16, 16), new Chain(epoch, 16, 256, 256));
    }

    @Test
    void a_range_is_a_few_rows_however_long() {
        LocalDate epoch = LocalDate.ofEpochDay(79 * 256);
        // Inside one block: the block's row up to the end less its row before the start; the epoch's rows cancel.
        assertThat(DayBlocks.terms(epoch.plusDays(35), epoch.plusDays(40))).containsExactlyInAnyOrder(
                new Term(1, epoch.plusDays(32), 9, 1), new Term(-1, epoch.plusDays(32), 3, 1));
        // A whole epoch is its longest row; whole blocks are rows of the epoch's chain.
        assertThat(DayBlocks.terms(epoch, epoch.plusDays(255))).containsExactly(new Term(1, epoch, 256, 16));
        assertThat(DayBlocks.terms(epoch.plusDays(32), epoch.plusDays(79))).containsExactlyInAnyOrder(
                new Term(1, epoch, 80, 16), new Term(-1, epoch, 32, 16));
        Random random = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            LocalDate from = LocalDate.ofEpochDay(random.nextInt(100_000) - 50_000);
            int days = 1 + random.nextInt(i % 2 == 0 ? 31 : 366);
            LocalDate to = from.plusDays(days - 1);
            List<Term> terms = DayBlocks.terms(from, to);
            int epochs = (int) ((DayBlocks.start(256, to).toEpochDay() - DayBlocks.start(256, from).toEpochDay()) / 256);
            assertThat(terms).as("%s to %s", from, to).hasSizeLessThanOrEqualTo(4 + epochs);
            if (days <= 365) assertThat(terms).as("%s to %s", from, to).hasSizeLessThanOrEqualTo(6);
        }
    }

    @Test
    void every_range_reads_exactly_its_days_whatever_the_order_the_days_were_added_in() {
        Random random = new Random(2026);
        for (long start : WINDOW_STARTS) {
            for (int round = 0; round < 3; round++) {
                // 600 days, about a third with counts (a band that is busy some days only), added in a random order,
                // some days twice (a late batch), each time into rows that already hold other days.
                Map<LocalDate, Long> model = new HashMap<>();
                List<LocalDate> order = new ArrayList<>();
                for (int d = 0; d < 600; d++) {
                    if (random.nextInt(3) != 0) continue;
                    LocalDate day = LocalDate.ofEpochDay(start + d);
                    order.add(day);
                    if (random.nextInt(5) == 0) order.add(day);
                }
                Collections.shuffle(order, random);
                ChainRows<Long> rows = new ChainRows<>(Long::sum);
                for (LocalDate day : order) {
                    long n = 1 + random.nextInt(1000);
                    model.merge(day, n, Long::sum);
                    rows.add(DayBlocks.chains(day), n);
                }
                for (int a = 0; a < 600; a += 1 + random.nextInt(7)) {
                    for (int b = a; b < 600; b += 1 + random.nextInt(23)) {
                        LocalDate from = LocalDate.ofEpochDay(start + a), to = LocalDate.ofEpochDay(start + b);
                        assertThat(read(rows, from, to)).as("%s to %s", from, to).isEqualTo(sum(model, from, to));
                    }
                }
            }
        }
    }

    @Test
    void rows_loaded_from_the_database_take_further_days_as_rows_made_in_memory_do() {
        // A refresh loads only the rows from the first span it adds to and the longest before: adding more days to
        // those must give what one refresh holding every row gives.
        Random random = new Random(77);
        LocalDate start = LocalDate.ofEpochDay(20_000 - 40);
        ChainRows<Long> all = new ChainRows<>(Long::sum);
        Map<LocalDate, Long> model = new HashMap<>();
        for (int d = 0; d < 300; d += 1 + random.nextInt(4)) {
            LocalDate day = start.plusDays(d);
            model.put(day, 1L + d);
            all.add(DayBlocks.chains(day), 1L + d);
        }
        for (int d = 0; d < 300; d += 1 + random.nextInt(9)) {
            LocalDate late = start.plusDays(d);
            ChainRows<Long> loaded = new ChainRows<>(Long::sum);
            for (Chain c : DayBlocks.chains(late)) {
                for (int span = c.offset(); span <= c.length(); span += c.step()) {
                    Block b = new Block(span, c.first());
                    if (all.get(b) != null) loaded.load(b, all.get(b));
                }
                for (int span = c.offset() - c.step(); span > 0; span -= c.step()) {
                    Block longestBefore = new Block(span, c.first());
                    if (all.get(longestBefore) == null) continue;
                    loaded.load(longestBefore, all.get(longestBefore));
                    break;
                }
            }
            loaded.add(DayBlocks.chains(late), 7L);
            for (Block b : loaded.changed()) {
                assertThat(loaded.get(b)).as("%s after adding %s", b, late).isEqualTo(sum(model, b.first(), b.last()) + 7);
                assertThat(loaded.wasLoaded(b)).isEqualTo(all.get(b) != null);
            }
        }
    }

    /** A range through its terms: each term the longest row of its chain not past its span. */
    private static long read(ChainRows<Long> rows, LocalDate from, LocalDate to) {
        long total = 0;
        for (Term t : DayBlocks.terms(from, to)) {
            Long row = rows.latest(new Chain(t.first(), t.step(), Integer.MAX_VALUE, 0), t.span());
            if (row != null) total += t.sign() * row;
        }
        return total;
    }

    private static long sum(Map<LocalDate, Long> model, LocalDate from, LocalDate to) {
        return model.entrySet().stream().filter(e -> !e.getKey().isBefore(from) && !e.getKey().isAfter(to)).mapToLong(Map.Entry::getValue).sum();
    }
}
