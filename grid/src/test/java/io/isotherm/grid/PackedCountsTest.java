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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PackedCountsTest {
    /** The deepest cell of the finest grid (1 px cells, 100,000 px deep, 10,000 px wide) still fits an int index. */
    private static final int DEEPEST = 100_000 * GridRows.CELL_ROW + 9_999;

    @Test
    void occurrences_are_counted_per_index_in_ascending_big_endian_pairs() {
        byte[] packed = PackedCounts.ofOccurrences(new int[]{5, 3, 5, 70_000, 5}, 5);

        assertThat(packed).containsExactly(
                0, 0, 0, 3, 0, 0, 0, 1,
                0, 0, 0, 5, 0, 0, 0, 3,
                0, 1, 0x11, 0x70, 0, 0, 0, 1);
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

        assertThat(sum).containsExactly(pack(0, 4, 1, 2, 7, 111, DEEPEST - 1, 1, DEEPEST, 6));
        assertThat(PackedCounts.total(sum)).isEqualTo(PackedCounts.total(a) + PackedCounts.total(b) + PackedCounts.total(c));
        assertThat(PackedCounts.sum(List.of(c, b, a))).as("in any order").containsExactly(sum);
    }

    @Test
    void the_sum_of_no_part_is_empty_and_of_one_part_is_that_part() {
        byte[] a = pack(3, 1, 9, 2);

        assertThat(PackedCounts.sum(List.of())).isEmpty();
        assertThat(PackedCounts.sum(List.of(a))).containsExactly(a);
        assertThat(PackedCounts.sum(List.of(PackedCounts.EMPTY, a, PackedCounts.EMPTY))).containsExactly(a);
        assertThat(PackedCounts.sum(List.of(PackedCounts.EMPTY, PackedCounts.EMPTY))).isEmpty();
    }

    @Test
    void entries_that_add_up_to_zero_are_left_out_of_a_sum() {
        byte[] sum = PackedCounts.sum(List.of(pack(1, 3, 2, 5, 9, 1), pack(1, -3, 2, -1), pack(9, 1)));

        assertThat(sum).containsExactly(pack(2, 4, 9, 2));
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
                assertThat(part.length % 8).isZero();
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
        assertThat(entries).hasSize(packed.length / 8);
        return entries;
    }

}
