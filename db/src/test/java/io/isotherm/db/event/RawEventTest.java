package io.isotherm.db.event;

import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RawEventTest {
    private static Database db;

    @BeforeAll
    static void open() {
        db = TestPostgres.open();
        new RawEventPartitions(db.jdbi(), 0).ensure(LocalDate.of(2031, 5, 6), 1);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void names_a_column_for_every_component_in_their_order() {
        List<String> components = Arrays.stream(RawEvent.class.getRecordComponents()).map(RecordComponent::getName)
                .map(name -> name.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT)).toList();
        assertThat(RawEvent.COLUMNS).isEqualTo(components);
    }

    @Test
    void names_every_column_of_the_table() {
        List<String> table = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT attname FROM pg_attribute
                        WHERE attrelid = 'raw_event'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum""")
                .mapTo(String.class)
                .list());
        assertThat(RawEvent.COLUMNS).containsExactlyInAnyOrderElementsOf(table);
    }

    @Test
    void reads_rows_by_column_name_in_any_order() {
        UUID pageview = UUID.randomUUID();
        Instant at = Instant.parse("2031-05-06T07:08:09.123456Z");
        var click = new RawEvent(3, 4, pageview, 5, at, "click", "tablet", 10, 20, 800, 3000, 820, 1180,
                "#buy", 0.25f, 0.75f, true, true, false, null, null);
        var scroll = new RawEvent(3, 4, pageview, 6, at.plusSeconds(1), "scroll", "tablet", 0, 1180, 800, 3000, 820, 1180,
                null, null, null, false, false, false, 2500, 0.5f);
        db.jdbi().useHandle(h -> {
            for (RawEvent e : List.of(click, scroll)) {
                h.createUpdate("INSERT INTO raw_event (" + RawEvent.columnList() + ") VALUES (:siteId, :pageId, :pageviewId, :seq, "
                                + ":occurredAt, :kind::event_kind, :device::device_class, :x, :y, :documentWidth, :documentHeight, "
                                + ":viewportWidth, :viewportHeight, :selector, :boxX, :boxY, :fixed, :interactive, :rage, :dwellMs, :depth)")
                        .bindMethods(e)
                        .bind("occurredAt", e.occurredAt().atOffset(ZoneOffset.UTC))
                        .execute();
            }
        });

        List<String> reversed = new ArrayList<>(RawEvent.COLUMNS);
        Collections.reverse(reversed);
        List<RawEvent> read = db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT " + String.join(", ", reversed) + ", 1 AS extra FROM raw_event e WHERE pageview_id = :pageview ORDER BY seq")
                .bind("pageview", pageview)
                .map(RawEvent.MAPPER)
                .list());
        assertThat(read).containsExactly(click, scroll);

        List<RawEvent> aliased = db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT " + RawEvent.columnList("e") + " FROM raw_event e WHERE pageview_id = :pageview ORDER BY seq")
                .bind("pageview", pageview)
                .map(RawEvent.MAPPER)
                .list());
        assertThat(aliased).containsExactly(click, scroll);
    }
}
