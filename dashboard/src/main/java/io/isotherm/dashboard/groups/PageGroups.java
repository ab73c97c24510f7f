package io.isotherm.dashboard.groups;

import io.isotherm.dashboard.ApiError;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A site's page groups (table page_group) and their pages. Membership is computed from the pattern over the site's
 * pages on every read, never stored: a new group covers the data aggregated before it, a page first seen after it
 * joins it.
 */
public final class PageGroups {
    public static final int MAX_NAME = 100;

    /** A page of the site: its id and URL. */
    public record Page(long id, String url) {}

    /** A member page with its page views in a range. */
    public record Member(long id, String url, long pageviews) {}

    private final Jdbi jdbi;

    public PageGroups(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Patterns were checked when saved. */
    private static final RowMapper<PageGroup> MAPPER = (rs, ctx) -> new PageGroup(rs.getLong("group_id"), rs.getString("name"),
            PathPattern.parse(rs.getString("pattern"), "pattern"), (Long) rs.getObject("screenshot_page_id"));

    /** The site's groups by name. */
    public static List<PageGroup> list(Handle h, int siteId) {
        return h.createQuery("SELECT * FROM page_group WHERE site_id = :site ORDER BY lower(name), group_id")
                .bind("site", siteId)
                .map(MAPPER)
                .list();
    }

    public static Optional<PageGroup> find(Handle h, int siteId, long groupId) {
        return h.createQuery("SELECT * FROM page_group WHERE site_id = :site AND group_id = :group")
                .bind("site", siteId).bind("group", groupId)
                .map(MAPPER)
                .findOne();
    }

    public Optional<PageGroup> find(int siteId, long groupId) {
        return jdbi.withHandle(h -> find(h, siteId, groupId));
    }

    /** @throws ApiError 400 naming {@code name} when another group of the site has the name */
    public PageGroup add(int siteId, String name, PathPattern pattern, Long screenshotPageId) {
        long id = uniqueName(() -> jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO page_group (site_id, name, pattern, screenshot_page_id) VALUES (:site, :name, :pattern, :shot)
                        RETURNING group_id""")
                .bind("site", siteId).bind("name", name).bind("pattern", pattern.text()).bind("shot", screenshotPageId)
                .mapTo(Long.class).one()));
        return new PageGroup(id, name, pattern, screenshotPageId);
    }

    /** @return false when the site has no such group */
    public boolean update(int siteId, long groupId, String name, PathPattern pattern, Long screenshotPageId) {
        return uniqueName(() -> jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE page_group SET name = :name, pattern = :pattern, screenshot_page_id = :shot
                        WHERE site_id = :site AND group_id = :group""")
                .bind("site", siteId).bind("group", groupId).bind("name", name).bind("pattern", pattern.text())
                .bind("shot", screenshotPageId)
                .execute() > 0));
    }

    public boolean remove(int siteId, long groupId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM page_group WHERE site_id = :site AND group_id = :group")
                .bind("site", siteId).bind("group", groupId).execute() > 0);
    }

    /** Every page of the site, to match patterns against. */
    public static List<Page> pages(Handle h, int siteId) {
        return h.createQuery("SELECT page_id, url FROM page WHERE site_id = :site ORDER BY url")
                .bind("site", siteId)
                .map((rs, ctx) -> new Page(rs.getLong(1), rs.getString(2)))
                .list();
    }

    /** The pages of the site that the pattern matches, by URL. */
    public static List<Page> members(List<Page> pages, PathPattern pattern) {
        return pages.stream().filter(p -> pattern.matchesUrl(p.url())).toList();
    }

    /**
     * The pages the pattern matches with their page views from {@code from} to {@code to} on one device class (null:
     * all), the busiest first, then by URL.
     */
    public static List<Member> members(Handle h, int siteId, PathPattern pattern, String device, LocalDate from, LocalDate to) {
        return members(h, siteId, pages(h, siteId), pattern, device, from, to);
    }

    /** The same among the site's pages already read ({@link #pages}), for several groups at once. */
    public static List<Member> members(Handle h, int siteId, List<Page> sitePages, PathPattern pattern, String device, LocalDate from,
                                       LocalDate to) {
        List<Page> pages = members(sitePages, pattern);
        Map<Long, Long> views = new HashMap<>();
        if (!pages.isEmpty()) {
            h.createQuery("""
                            SELECT page_id, sum(pageviews) FROM page_day
                            WHERE site_id = :site AND page_id = ANY(:pages) AND day BETWEEN :from AND :to
                              AND (CAST(:device AS text) IS NULL OR device = CAST(:device AS device_class))
                            GROUP BY page_id""")
                    .bind("site", siteId).bindArray("pages", Long.class, pages.stream().map(Page::id).toList())
                    .bind("from", from).bind("to", to).bind("device", device)
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
                    .forEach(e -> views.put(e.getKey(), e.getValue()));
        }
        List<Member> members = new ArrayList<>();
        for (Page p : pages) members.add(new Member(p.id(), p.url(), views.getOrDefault(p.id(), 0L)));
        members.sort(Comparator.comparingLong(Member::pageviews).reversed().thenComparing(Member::url));
        return members;
    }

    private static <T> T uniqueName(java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                throw ApiError.badParameter("name", "another group of this site has this name");
            }
            throw e;
        }
    }
}
