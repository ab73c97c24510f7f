package io.isotherm.db.segment;

import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmentFilterTest {
    private static Database database;

    @BeforeAll
    static void open() {
        database = TestPostgres.open();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void readsTheDimensionsAsked() {
        SegmentFilter filter = SegmentFilter.from(Map.of("utm_campaign", "spring sale", "country", "FR", "page", "x")::get);
        assertThat(filter.values()).containsOnly(Map.entry("utm_campaign", "spring sale"), Map.entry("country", "FR"));
        assertThat(filter.queryString()).isEqualTo("utm_campaign=spring+sale&country=FR");
        assertThat(SegmentFilter.from(Map.<String, String>of()::get).isAll()).isTrue();
    }

    @Test
    void refusesValuesItCannotMatch() {
        assertThatThrownBy(() -> SegmentFilter.from(Map.of("referrer", "google")::get))
                .isInstanceOfSatisfying(InvalidSegmentFilter.class, e -> assertThat(e.field()).isEqualTo("referrer"));
        assertThatThrownBy(() -> SegmentFilter.from(Map.of("country", "France")::get))
                .isInstanceOfSatisfying(InvalidSegmentFilter.class, e -> assertThat(e.field()).isEqualTo("country"));
        assertThatThrownBy(() -> SegmentFilter.from(Map.of("variant", "v".repeat(101))::get))
                .isInstanceOfSatisfying(InvalidSegmentFilter.class, e -> assertThat(e.field()).isEqualTo("variant"));
    }

    @Test
    void matchesTheSiteSegmentsWithThoseValues() {
        Jdbi jdbi = database.jdbi();
        int site = jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO site (public_key, name, origins) VALUES ('seg-filter', 'segments', '{}') RETURNING site_id""")
                .mapTo(Integer.class).one());
        int[] ids = jdbi.withHandle(h -> {
            var insert = h.prepareBatch("""
                    INSERT INTO segment (site_id, referrer, utm_source, utm_medium, utm_campaign, variant, browser, os, country)
                    VALUES (:site, :referrer, '', '', :campaign, :variant, 'Chrome', 'Windows', 'FR')""");
            insert.bind("site", site).bind("referrer", "search").bind("campaign", "spring").bind("variant", "A").add();
            insert.bind("site", site).bind("referrer", "social").bind("campaign", "spring").bind("variant", "B").add();
            insert.bind("site", site).bind("referrer", "direct").bind("campaign", "").bind("variant", "A").add();
            insert.execute();
            return h.createQuery("SELECT segment_id FROM segment WHERE site_id = :site ORDER BY segment_id").bind("site", site)
                    .mapTo(Integer.class).list().stream().mapToInt(Integer::intValue).toArray();
        });
        jdbi.useHandle(h -> {
            assertThat(SegmentFilter.from(Map.of("utm_campaign", "spring")::get).segmentIds(h, site)).containsExactly(ids[0], ids[1]);
            assertThat(SegmentFilter.from(Map.of("variant", "A")::get).segmentIds(h, site)).containsExactly(ids[0], ids[2]);
            assertThat(SegmentFilter.from(Map.of("variant", "A", "utm_campaign", "")::get).segmentIds(h, site)).containsExactly(ids[2]);
            assertThat(SegmentFilter.from(Map.of("country", "DE")::get).segmentIds(h, site)).isEmpty();
        });
    }
}
