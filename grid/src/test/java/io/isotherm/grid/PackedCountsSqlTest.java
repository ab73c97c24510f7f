package io.isotherm.grid;

import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The SQL reader of packed counts (unpack_counts, V14) gives exactly the entries the Java one does, in both forms. */
class PackedCountsSqlTest {
    private static final int DEEPEST = 100_000 * GridRows.CELL_ROW + 9_999;
    private static Database db;

    @BeforeAll
    static void open() {
        db = TestPostgres.open();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void random_runs_and_pairs_unpack_in_sql_to_the_entries_java_reads() {
        Random random = new Random(1206);
        for (int round = 0; round < 60; round++) {
            // Dense rounds (runs with holes), sparse ones over the whole index range, counts up to millions.
            int spread = round % 3 == 0 ? DEEPEST : 40 + random.nextInt(400);
            int n = random.nextInt(3_000);
            int[] occurrences = new int[n + 2];
            for (int i = 0; i < n; i++) occurrences[i] = random.nextInt(spread + 1);
            if (round % 5 == 0) {
                occurrences[n++] = DEEPEST;
                occurrences[n++] = 0;
            }
            byte[] runs = PackedCounts.ofOccurrences(occurrences, n);
            Map<Integer, Integer> expected = entries(runs);
            if (round % 7 == 0 && !expected.isEmpty()) {
                int index = expected.keySet().iterator().next();
                expected.put(index, 3_000_000);
                runs = PackedCounts.sum(List.of(runs, pairs(Map.of(index, 3_000_000 - entries(runs).get(index)))));
            }

            assertThat(unpackedInSql(runs)).as("round %d, runs", round).containsExactlyEntriesOf(expected);
            assertThat(unpackedInSql(pairs(expected))).as("round %d, pairs", round).containsExactlyEntriesOf(expected);
        }
    }

    @Test
    void nothing_unpacks_to_no_rows() {
        assertThat(unpackedInSql(PackedCounts.EMPTY)).isEmpty();
    }

    private static Map<Integer, Integer> unpackedInSql(byte[] packed) {
        Map<Integer, Integer> entries = new LinkedHashMap<>();
        db.jdbi().useHandle(h -> h.createQuery("SELECT idx, n FROM unpack_counts(:packed)")
                .bind("packed", packed)
                .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getInt(2)))
                .forEach(e -> assertThat(entries.put(e.getKey(), e.getValue())).as("index %d twice", e.getKey()).isNull()));
        return entries;
    }

    private static Map<Integer, Integer> entries(byte[] packed) {
        Map<Integer, Integer> entries = new LinkedHashMap<>();
        PackedCounts.forEach(packed, entries::put);
        return entries;
    }

    /** The V12 form, written here independently of the class under test. */
    private static byte[] pairs(Map<Integer, Integer> entries) {
        ByteBuffer out = ByteBuffer.allocate(entries.size() * 8);
        new TreeMap<>(entries).forEach((index, count) -> out.putInt(index).putInt(count));
        return out.array();
    }
}
