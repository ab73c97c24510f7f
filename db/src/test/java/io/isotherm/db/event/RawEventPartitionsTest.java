package io.isotherm.db.event;

import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class RawEventPartitionsTest {
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
    void creates_daily_partitions_from_two_days_back_to_the_days_ahead() {
        var partitions = new RawEventPartitions(db.jdbi(), 7);
        partitions.ensure();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        var names = partitions.names();
        for (int offset = -2; offset <= 7; offset++) {
            assertThat(names).contains("raw_event_" + today.plusDays(offset).format(DateTimeFormatter.BASIC_ISO_DATE));
        }
        assertThat(partitions.ensure()).as("second call creates nothing").isZero();
    }

    @Test
    void many_processes_ensuring_at_once_create_each_partition_once() throws Exception {
        var partitions = new RawEventPartitions(db.jdbi(), 0);
        LocalDate first = LocalDate.of(2030, 1, 1);
        var pool = Executors.newFixedThreadPool(6);
        var tasks = new ArrayList<Callable<Integer>>();
        for (int i = 0; i < 6; i++) {
            tasks.add(() -> partitions.ensure(first, 5));
        }
        int created = 0;
        for (Future<Integer> f : pool.invokeAll(tasks)) {
            created += f.get();
        }
        pool.shutdown();
        assertThat(created).isEqualTo(5);
        assertThat(partitions.names()).filteredOn(n -> n.startsWith("raw_event_2030")).hasSize(5);
    }

    @Test
    void routes_a_row_into_the_partition_of_its_utc_day() {
        var partitions = new RawEventPartitions(db.jdbi(), 0);
        partitions.ensure(LocalDate.of(2031, 3, 4), 2);
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO raw_event (site_id, page_id, pageview_id, seq, occurred_at, kind, device, x, y,
                                       document_width, document_height, viewport_width, viewport_height)
                VALUES (1, 1, gen_random_uuid(), 0, '2031-03-04T23:59:59Z', 'click', 'desktop', 1, 2, 3, 4, 5, 6)"""));
        int inPartition = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM raw_event_20310304").mapTo(Integer.class).one());
        assertThat(inPartition).isEqualTo(1);
    }
}
