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
    static final List<String> TABLES = List.of("raw_event", "ingest_batch", "heat_tile", "click_target", "heat_block_dirty", "element_day",
            "segment_click_day", "layout_element", "page_day", "page_hour", "pageview_summary", "segment", "page_group",
            "scroll_depth_percent", "scroll_depth_px", "viewport_height", "attention_band", "heatmap_view", "heatmap_dirty", "capture_tile", "capture_element", "capture",
            "ingest_outcome", "ingest_last_batch", "site_aggregate_version", "site_member", "api_token", "invite", "share_link",
            "page", "site");

    private static final RowMapper<Site> MAPPER = (rs, ctx) -> new Site(
            rs.getInt("site_id"),
            rs.getString("public_key"),
            rs.getString("name"),
            Arrays.asList((String[]) rs.getArray("origins").getArray()),
            Arrays.asList((String[]) rs.getArray("page_query_params").getArray()),
            rs.getString("time_zone"),
            Arrays.asList((String[]) rs.getArray("excluded_paths").getArray()),
            (Integer) rs.getObject("mobile_below"),
            (Integer) rs.getObject("tablet_below"),
            (Integer) rs.getObject("retention_days"));

    private final Jdbi jdbi;

    public SiteDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Site add(String name, List<String> origins, List<String> pageQueryParams) {
        return add(SiteSettings.checked(name, origins, pageQueryParams, null, List.of(), null, null, null));
    }

    /** Registers a site with checked settings. */
    public Site add(SiteSettings settings) {
        return jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO site (public_key, name, origins, page_query_params, time_zone, excluded_paths,
                                          mobile_below, tablet_below, retention_days)
                        VALUES (:key, :name, :origins, :params, :zone, :excluded, :mobile, :tablet, :retention)
                        RETURNING *""")
                .bind("key", newKey())
                .bindMethods(new Bindable(settings))
                .map(MAPPER)
                .one());
    }

    /**
     * Replaces a site's settings. A new time zone is stamped in {@code time_zone_changed_at}: it applies to events
     * aggregated from then on; days already aggregated keep the zone they were counted in.
     */
    public Optional<Site> update(int siteId, SiteSettings settings) {
        return jdbi.withHandle(h -> h.createQuery("""
                        UPDATE site SET name = :name, origins = :origins, page_query_params = :params,
                               time_zone_changed_at = CASE WHEN time_zone <> :zone THEN now() ELSE time_zone_changed_at END,
                               time_zone = :zone, excluded_paths = :excluded,
                               mobile_below = :mobile, tablet_below = :tablet, retention_days = :retention
                        WHERE site_id = :id
                        RETURNING *""")
                .bind("id", siteId)
                .bindMethods(new Bindable(settings))
                .map(MAPPER)
                .findOne());
    }

    /** The bind values of settings, arrays as PostgreSQL wants them. */
    public record Bindable(SiteSettings s) {
        public String name() { return s.name(); }
        public String[] origins() { return s.origins().toArray(String[]::new); }
        public String[] params() { return s.pageQueryParams().toArray(String[]::new); }
        public String zone() { return s.timeZone(); }
        public String[] excluded() { return s.excludedPaths().toArray(String[]::new); }
        public Integer mobile() { return s.mobileBelow(); }
        public Integer tablet() { return s.tabletBelow(); }
        public Integer retention() { return s.retentionDays(); }
    }

    public Optional<Site> findById(int siteId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM site WHERE site_id = :id")
                .bind("id", siteId)
                .map(MAPPER)
                .findOne());
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

    /**
     * Removes the site and everything recorded for it. Returns false when no site has that key. The site's lock
     * ({@link SiteLocks}) makes writers in flight finish first, so none of their rows outlive the site.
     */
    public boolean remove(String publicKey) {
        return jdbi.inTransaction(h -> {
            Optional<Integer> id = h.createQuery("SELECT site_id FROM site WHERE public_key = :key")
                    .bind("key", publicKey).mapTo(Integer.class).findOne();
            if (id.isEmpty()) {
                return false;
            }
            SiteLocks.exclusive(h, id.get());
            int deleted = 0;
            for (String table : TABLES) { // the site last: false when a concurrent removal took it meanwhile
                deleted = h.createUpdate("DELETE FROM " + table + " WHERE site_id = :id").bind("id", id.get()).execute();
            }
            return deleted > 0;
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
