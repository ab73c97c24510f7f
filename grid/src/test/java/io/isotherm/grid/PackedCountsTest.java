package io.isotherm.grid;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PackedCountsTest {
    /** The deepest cell of the finest grid (1 px cells, 100,000 px deep, 10,000 px wide) still fits an int index. */
    private static final int DEEPEST = 100_000 * GridRows.CELL_ROW + 9_999;

    @Test
    void occurrences_are_counted_per_index_in_runs_of_varints() {
        byte[] packed = PackedCounts.ofOccurrences(new int[]{5, 3, 5, 70_000, 5}, 5);

        // 3 and 5 share a run (the hole at 4 costs a byte); 70,000 starts another, 69,994 indexes after 5.
        assertThat(packed).containsExactly(
                0x81,
                3, 3, 1, 0, 3,
                0xEA, 0xA2, 0x04, 1, 1);
    }

    @Test
    void weighted_entries_add_up_per_index_and_zero_sums_are_left_out() {
        long[] keyed = {5L << 32 | 7, 3L << 32, 5L << 32 | 1, 70_000L << 32 | 200_000, 9L << 32 | 4};
        byte[] packed = PackedCounts.ofWeighted(keyed, 5);

        assertThat(entries(packed)).containsExactly(Map.entry(5, 8), Map.entry(9, 4), Map.entry(70_000, 200_000));
        // Unit weights give what occurrences give, byte for byte.
        long[] ones = {5L << 32 | 1, 3L << 32 | 1, 5L << 32 | 1};
        assertThat(PackedCounts.ofWeighted(ones, 3)).containsExactly(PackedCounts.ofOccurrences(new int[]{5, 3, 5}, 3));
        assertThat(PackedCounts.ofWeighted(new long[]{4L << 32}, 1)).isEmpty();
    }

    @Test
    void pairs_written_before_the_runs_form_are_still_read_and_summed_into_runs() {
        byte[] pairs = pack(3, 1, 5, 3, 70_000, 1);

        assertThat(entries(pairs)).containsExactly(Map.entry(3, 1), Map.entry(5, 3), Map.entry(70_000, 1));
        assertThat(PackedCounts.total(pairs)).isEqualTo(5);
        byte[] summed = PackedCounts.sum(List.of(pairs));
        assertThat(summed[0] & 0xFF).as("one part in pairs is rewritten as runs").isEqualTo(PackedCounts.RUNS);
        assertThat(summed).containsExactly(PackedCounts.ofOccurrences(new int[]{5, 3, 5, 70_000, 5}, 5));
    }

    @Test
    void a_full_band_of_small_counts_costs_about_a_byte_per_cell() {
        int columns = 180, rows = 64;
        int[] occurrences = new int[columns * rows * 3];
        int n = 0;
        for (int cy = 0; cy < rows; cy++) {
            for (int cx = 0; cx < columns; cx++) {
                for (int k = 0; k < 1 + (cx + cy) % 3; k++) occurrences[n++] = (1_000 + cy) * GridRows.CELL_ROW + cx;
            }
        }
        byte[] packed = PackedCounts.ofOccurrences(occurrences, n);

        // One run per cell row: a count byte per cell, a length of 2 bytes per row, and a skip of 2 bytes from one row's
        // end to the next one's start (the first: 4 bytes, its whole index).
        assertThat(packed.length).isEqualTo(1 + 4 + (rows - 1) * 2 + rows * 2 + columns * rows);
        assertThat(PackedCounts.total(packed)).isEqualTo(n);
        assertThat(entries(packed)).hasSize(columns * rows);
    }

    @Test
    void holes_of_up_to_two_indexes_stay_inside_a_run_and_longer_ones_start_a_new_run() {
        assertThat(PackedCounts.ofOccurrences(new int[]{0, 3}, 2)).containsExactly(0x81, 0, 4, 1, 0, 0, 1);
        assertThat(PackedCounts.ofOccurrences(new int[]{0, 4}, 2)).containsExactly(0x81, 0, 1, 1, 3, 1, 1);
        assertThat(entries(PackedCounts.ofOccurrences(new int[]{0, 3}, 2))).containsExactly(Map.entry(0, 1), Map.entry(3, 1));
    }

    @Test
    void counts_of_any_size_and_the_deepest_index_round_trip() {
        int[] occurrences = new int[200_001];
        Arrays.fill(occurrences, 0, 200_000, DEEPEST);
        occurrences[200_000] = 127;
        byte[] packed = PackedCounts.ofOccurrences(occurrences, occurrences.length);

        assertThat(entries(packed)).containsExactly(Map.entry(127, 1), Map.entry(DEEPEST, 200_000));
        assertThat(PackedCounts.sum(List.of(packed, packed))).satisfies(s -> assertThat(entries(s))
                .containsExactly(Map.entry(127, 2), Map.entry(DEEPEST, 400_000)));
    }

    @Test
    void walking_runs_gives_the_same_entries_as_walking_entries_in_both_forms() {
        Random random = new Random(99);
        for (int round = 0; round < 200; round++) {
            int n = random.nextInt(500);
            int spread = round % 2 == 0 ? 60 : DEEPEST;
            int[] occurrences = random.ints(n, 0, spread + 1).toArray();
            byte[] runs = PackedCounts.ofOccurrences(occurrences, n);
            Map<Integer, Integer> expected = entries(runs);
            for (byte[] form : List.of(runs, pack(expected))) {
                Map<Integer, Integer> walked = new LinkedHashMap<>();
                PackedCounts.Cursor c = new PackedCounts.Cursor(form);
                while (c.nextRun()) {
                    int start = c.index(), length = c.runLength();
                    for (int k = 0; k < length; k++) {
                        int count = c.runCount();
                        if (count != 0) walked.put(start + k, count);
                    }
                }
                assertThat(walked).as("round %d", round).containsExactlyEntriesOf(expected);
            }
        }
        PackedCounts.Cursor c = new PackedCounts.Cursor(PackedCounts.ofOccurrences(new int[]{1, 2, 9}, 3));
        assertThat(c.nextRun()).isTrue();
        assertThatThrownBy(c::nextRun).as("counts left unread").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void adding_runs_to_an_array_gives_every_count_at_its_index_in_both_forms() {
        Random random = new Random(5);
        for (int round = 0; round < 100; round++) {
            int n = random.nextInt(2_000);
            int[] occurrences = random.ints(n, 0, 300).toArray();
            for (int i = 0; i < n / 10; i++) occurrences[i] = 7; // a count above 127: a varint of two bytes
            byte[] runs = PackedCounts.ofOccurrences(occurrences.clone(), n);
            int[] expected = new int[300];
            for (int i = 0; i < n; i++) expected[occurrences[i]]++;
            for (byte[] form : List.of(runs, pack(entries(runs)))) {
                int[] added = new int[300];
                long sum = 0;
                PackedCounts.Cursor c = new PackedCounts.Cursor(form);
                while (c.nextRun()) sum += c.addRunTo(added, c.index());
                assertThat(added).as("round %d", round).containsExactly(expected);
                assertThat(sum).isEqualTo(n);
            }
        }
    }

    @Test
    void broken_bytes_are_refused_not_misread() {
        assertThatThrownBy(() -> PackedCounts.total(new byte[]{0, 0, 0, 1, 0}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PackedCounts.total(new byte[]{(byte) 0x81, 5, (byte) 0x80}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PackedCounts.total(new byte[]{(byte) 0x81, 5, 0}))
                .as("a run of no entries").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void only_the_first_n_occurrences_count() {
        int[] indexes = {9, 2, 9, 2, 1000};
        byte[] packed = PackedCounts.ofOccurrences(indexes, 3);

        assertThat(entries(packed)).containsExactly(Map.entry(2, 1), Map.entry(9, 2));
        assertThat(indexes[3]).as("the rest of the array is left alone").isEqualTo(2);
        assertThat(indexes[4]).isEqualTo(1000);
    }

    @Test
    void no_occurrences_pack_to_nothing() {
        assertThat(PackedCounts.ofOccurrences(new int[0], 0)).isEmpty();
        assertThat(PackedCounts.ofOccurrences(new int[]{4, 4}, 0)).isEmpty();
        assertThat(PackedCounts.total(PackedCounts.EMPTY)).isZero();
        List<Integer> seen = new ArrayList<>();
        PackedCounts.forEach(PackedCounts.EMPTY, (i, n) -> seen.add(i));
        assertThat(seen).isEmpty();
    }

    @Test
    void for_each_visits_entries_in_index_order_and_total_adds_their_counts() {
        int[] indexes = {DEEPEST, 0, 16_384, 16_383, DEEPEST, 1, 0, 0};
        byte[] packed = PackedCounts.ofOccurrences(indexes, indexes.length);

        assertThat(entries(packed)).containsExactly(
                Map.entry(0, 3), Map.entry(1, 1), Map.entry(16_383, 1), Map.entry(16_384, 1), Map.entry(DEEPEST, 2));
        assertThat(PackedCounts.total(packed)).isEqualTo(8);
    }

    @Test
    void the_sum_of_overlapping_and_disjoint_parts_adds_counts_per_index() {
        byte[] a = pack(1, 2, 7, 1, DEEPEST, 5);
        byte[] b = pack(0, 4, 7, 10, DEEPEST - 1, 1);
        byte[] c = pack(7, 100, DEEPEST, 1);

        byte[] sum = PackedCounts.sum(List.of(a, b, c));

        assertThat(entries(sum)).containsExactly(
                Map.entry(0, 4), Map.entry(1, 2), Map.entry(7, 111), Map.entry(DEEPEST - 1, 1), Map.entry(DEEPEST, 6));
        assertThat(PackedCounts.total(sum)).isEqualTo(PackedCounts.total(a) + PackedCounts.total(b) + PackedCounts.total(c));
        assertThat(PackedCounts.sum(List.of(c, b, a))).as("in any order").containsExactly(sum);
    }

    @Test
    void the_sum_of_no_part_is_empty_and_of_one_part_is_that_part() {
        byte[] a = pack(3, 1, 9, 2);

        assertThat(PackedCounts.sum(List.of())).isEmpty();
        byte[] runs = PackedCounts.sum(List.of(a));
        assertThat(entries(runs)).containsExactly(Map.entry(3, 1), Map.entry(9, 2));
        assertThat(PackedCounts.sum(List.of(runs))).as("one part in runs is that part").isSameAs(runs);
        assertThat(PackedCounts.sum(List.of(PackedCounts.EMPTY, runs, PackedCounts.EMPTY))).isSameAs(runs);
        assertThat(PackedCounts.sum(List.of(PackedCounts.EMPTY, PackedCounts.EMPTY))).isEmpty();
    }

    @Test
    void entries_that_add_up_to_zero_are_left_out_of_a_sum() {
        byte[] sum = PackedCounts.sum(List.of(pack(1, 3, 2, 5, 9, 1), pack(1, -3, 2, -1), pack(9, 1)));

        assertThat(entries(sum)).containsExactly(Map.entry(2, 4), Map.entry(9, 2));
    }

    @Test
    void a_sum_that_stays_negative_is_refused() {
        assertThatThrownBy(() -> PackedCounts.sum(List.of(pack(4, 1), pack(4, -2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    @Test
    void a_sum_that_overflows_a_count_fails_instead_of_wrapping() {
        assertThatThrownBy(() -> PackedCounts.sum(List.of(pack(4, Integer.MAX_VALUE), pack(4, 1))))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void sums_of_random_parts_match_a_plain_map() {
        Random random = new Random(20261206);
        for (int round = 0; round < 300; round++) {
            Map<Integer, Long> reference = new HashMap<>();
            List<byte[]> parts = new ArrayList<>();
            int partCount = random.nextInt(6);
            // Few distinct indexes per round so that parts overlap; some rounds spread over the whole index range.
            int spread = random.nextBoolean() ? 50 : DEEPEST;
            for (int p = 0; p < partCount; p++) {
                int n = random.nextInt(40);
                int[] indexes = new int[n + random.nextInt(3)];
                for (int i = 0; i < indexes.length; i++) indexes[i] = random.nextInt(spread + 1);
                for (int i = 0; i < n; i++) reference.merge(indexes[i], 1L, Long::sum);
                byte[] part = PackedCounts.ofOccurrences(indexes, n);
                assertThat(part.length == 0 || (part[0] & 0xFF) == PackedCounts.RUNS).isTrue();
                parts.add(part);
            }

            byte[] sum = PackedCounts.sum(parts);

            Map<Integer, Integer> expected = new TreeMap<>();
            reference.forEach((index, count) -> expected.put(index, Math.toIntExact(count)));
            assertThat(entries(sum)).as("round %d", round).containsExactlyEntriesOf(expected);
            assertThat(PackedCounts.total(sum)).isEqualTo(reference.values().stream().mapToLong(Long::longValue).sum());
            assertThat(PackedCounts.sum(List.of(sum, PackedCounts.EMPTY))).containsExactly(sum);
        }
    }

    @Test
    void adding_two_sets_in_one_pass_gives_the_sum_of_both_in_either_form() {
        Random random = new Random(20261207);
        for (int round = 0; round < 300; round++) {
            int spread = random.nextBoolean() ? 60 : DEEPEST;
            int[] a = random.ints(random.nextInt(80), 0, spread + 1).toArray(), b = random.ints(random.nextInt(80), 0, spread + 1).toArray();
            byte[] x = PackedCounts.ofOccurrences(a.clone(), a.length), y = PackedCounts.ofOccurrences(b.clone(), b.length);
            byte[] expected = PackedCounts.sum(List.of(x, y));
            // The runs form, and V12's pairs, in every combination, and each with nothing.
            for (byte[] left : List.of(x, pack(entries(x)))) {
                for (byte[] right : List.of(y, pack(entries(y)))) {
                    assertThat(PackedCounts.plus(left, right)).as("round %d", round).containsExactly(expected);
                }
                assertThat(PackedCounts.plus(left, PackedCounts.EMPTY)).containsExactly(x);
                assertThat(PackedCounts.plus(PackedCounts.EMPTY, left)).containsExactly(x);
            }
        }
        assertThat(PackedCounts.plus(PackedCounts.EMPTY, PackedCounts.EMPTY)).isEmpty();
        byte[] big = pack(Map.of(3, Integer.MAX_VALUE));
        assertThatThrownBy(() -> PackedCounts.plus(big, big)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void taking_a_run_away_from_an_array_subtracts_every_count_at_its_index() {
        byte[] runs = PackedCounts.sum(List.of(pack(new TreeMap<>(Map.of(2, 5, 3, 1, 4, 300, 9, 2)))));
        int[] grid = {0, 0, 10, 10, 400, 0, 0, 0, 0, 7};
        long sum = 0;
        PackedCounts.Cursor c = new PackedCounts.Cursor(runs);
        while (c.nextRun()) sum += c.addRunTo(grid, c.index(), -1);
        assertThat(grid).containsExactly(0, 0, 5, 9, 100, 0, 0, 0, 0, 5);
        assertThat(sum).isEqualTo(-308);
    }

    @Test
    void entries_keep_index_order_after_sorting_arrays_of_any_order() {
        int[] indexes = new Random(7).ints(1000, 0, 2000).toArray();
        int[] sorted = indexes.clone();
        Arrays.sort(sorted);
        byte[] packed = PackedCounts.ofOccurrences(indexes, indexes.length);
        Map<Integer, Integer> entries = entries(packed);
        assertThat(entries.keySet()).containsExactlyElementsOf(Arrays.stream(sorted).distinct().boxed().toList());
        assertThat(PackedCounts.total(packed)).isEqualTo(1000);
    }
    /** (index, count) pairs as packed bytes, written here independently of the class under test. */
    private static byte[] pack(int... pairs) {
        ByteBuffer out = ByteBuffer.allocate(pairs.length * 4);
        for (int v : pairs) out.putInt(v);
        return out.array();
    }

    /** The same entries as pairs. */
    private static byte[] pack(Map<Integer, Integer> entries) {
        return pack(entries.entrySet().stream().flatMapToInt(e -> IntStream.of(e.getKey(), e.getValue())).toArray());
    }

    /** The entries in the order forEach gives them; fails on an index seen twice or out of order. */
    private static Map<Integer, Integer> entries(byte[] packed) {
        Map<Integer, Integer> entries = new LinkedHashMap<>();
        int[] last = {Integer.MIN_VALUE};
        boolean[] first = {true};
        PackedCounts.forEach(packed, (index, count) -> {
            assertThat(first[0] || index > last[0]).as("index %d after %d", index, last[0]).isTrue();
            first[0] = false;
            last[0] = index;
            entries.put(index, count);
        });
        return entries;
    }

}
