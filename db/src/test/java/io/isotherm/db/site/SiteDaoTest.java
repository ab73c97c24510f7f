package io.isotherm.db.site;

import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SiteDaoTest {
    private static Database db;
    private static SiteDao sites;

    @BeforeAll
    static void open() {
        db = TestPostgres.open();
        sites = new SiteDao(db.jdbi());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void adds_a_site_with_a_fresh_key_and_normalized_origins() {
        Site site = sites.add("Shop", List.of("HTTPS://Shop.Example/", "https://www.shop.example"), List.of("id"));
        assertThat(site.publicKey()).matches("[a-z2-9]{16}");
        assertThat(site.origins()).containsExactly("https://shop.example", "https://www.shop.example");
        assertThat(site.pageQueryParams()).containsExactly("id");
        assertThat(sites.findByKey(site.publicKey())).contains(site);
    }

    @Test
    void every_site_gets_its_own_key() {
        Site a = sites.add("A", List.of("https://a.example"), List.of());
        Site b = sites.add("B", List.of("https://b.example"), List.of());
        assertThat(a.publicKey()).isNotEqualTo(b.publicKey());
        assertThat(sites.list()).extracting(Site::publicKey).contains(a.publicKey(), b.publicKey());
    }

    @Test
    void refuses_an_origin_with_a_path() {
        assertThatThrownBy(() -> sites.add("Bad", List.of("https://shop.example/shop"), List.of()))
                .hasMessageContaining("not an origin");
    }

    @Test
    void removes_a_site_with_its_pages_and_events() {
        Site site = sites.add("Gone", List.of("https://gone.example"), List.of());
        db.jdbi().useHandle(h -> h.execute("INSERT INTO page (site_id, url) VALUES (?, 'https://gone.example/')", site.id()));
        assertThat(sites.remove(site.publicKey())).isTrue();
        assertThat(sites.findByKey(site.publicKey())).isEmpty();
        int pages = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM page WHERE site_id = ?")
                .bind(0, site.id()).mapTo(Integer.class).one());
        assertThat(pages).isZero();
        assertThat(sites.remove(site.publicKey())).isFalse();
    }

    @Test
    void removing_a_site_covers_every_table_that_holds_site_rows() {
        // Every table (not partition) with a site_id column, as the migrations left the schema.
        List<String> tables = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT c.relname FROM pg_class c
                        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
                        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'site_id'
                        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition""")
                .mapTo(String.class).list());
        assertThat(SiteDao.TABLES).containsExactlyInAnyOrderElementsOf(tables);
    }
}
