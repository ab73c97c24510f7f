package io.isotherm.db.site;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

public final class SiteDao {
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"; // no look-alikes (l/1, o/0)
    private static final int KEY_LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Every table with a site's rows, children before parents; SiteDaoTest checks that none is missing. */
    static final List<String> TABLES = List.of("raw_event", "ingest_batch", "heat_cell", "click_anchor", "element_day",
            "layout_element", "page_day", "page_hour", "pageview_summary", "scroll_depth_percent", "scroll_depth_px",
            "viewport_height", "attention_band", "heatmap_view", "heatmap_dirty", "capture_tile", "capture_element", "capture",
            "page", "site");

    private static final RowMapper<Site> MAPPER = (rs, ctx) -> new Site(
            rs.getInt("site_id"),
            rs.getString("public_key"),
            rs.getString("name"),
            Arrays.asList((String[]) rs.getArray("origins").getArray()),
            Arrays.asList((String[]) rs.getArray("page_query_params").getArray()),
            rs.getString("time_zone"));

    private final Jdbi jdbi;

    public SiteDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Site add(String name, List<String> origins, List<String> pageQueryParams) {
        List<String> normalized = origins.stream().map(Origins::normalize).distinct().toList();
        return jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO site (public_key, name, origins, page_query_params)
                        VALUES (:key, :name, :origins, :params)
                        RETURNING *""")
                .bind("key", newKey())
                .bind("name", name)
                .bind("origins", normalized.toArray(String[]::new))
                .bind("params", pageQueryParams.toArray(String[]::new))
                .map(MAPPER)
                .one());
    }

    public Optional<Site> findByKey(String publicKey) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM site WHERE public_key = :key")
                .bind("key", publicKey)
                .map(MAPPER)
                .findOne());
    }

    public List<Site> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM site ORDER BY site_id").map(MAPPER).list());
    }

    /** Removes the site and everything recorded for it. Returns false when no site has that key. */
    public boolean remove(String publicKey) {
        return jdbi.inTransaction(h -> {
            Optional<Integer> id = h.createQuery("SELECT site_id FROM site WHERE public_key = :key FOR UPDATE")
                    .bind("key", publicKey).mapTo(Integer.class).findOne();
            if (id.isEmpty()) {
                return false;
            }
            for (String table : TABLES) {                h.createUpdate("DELETE FROM " + table + " WHERE site_id = :id").bind("id", id.get()).execute();
            }
            return true;
        });
    }

    static String newKey() {
        var key = new StringBuilder(KEY_LENGTH);
        for (int i = 0; i < KEY_LENGTH; i++) {
            key.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return key.toString();
    }
}
