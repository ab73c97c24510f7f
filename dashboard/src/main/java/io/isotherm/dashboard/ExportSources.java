package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isotherm.db.segment.SegmentFilter;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import io.isotherm.grid.AggregateVersion;
import io.isotherm.grid.GridGeometry;
import io.isotherm.grid.Heatmap;
import io.isotherm.grid.HeatmapQuery;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/**
 * What an export reads, through the read API's own report classes (so an export and the API never disagree on a
 * number). It lives beside them because they are package-private; the reports come out as the API's JSON, which
 * is also what the interactive export hands to the viewer's modules.
 */
public final class ExportSources {
    /** One page of a site, one device class, a range of days in the site's time zone, the page views of some segments. */
    public record View(Site site, long pageId, String device, LocalDate from, LocalDate to, SegmentFilter segments) {
        Scope scope() {
            return new Scope(site.id(), pageId, device, from, to, segments);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbi jdbi;
    private final SiteDao sites;
    private final SiteLookup lookup;
    private final HeatmapQuery heatmaps;
    private final ScrollReport scroll;
    private final ElementReport elements;
    private final CalendarReport calendar;
    private final GridGeometry grid;
    private final Clock clock;

    public ExportSources(Jdbi jdbi, GridGeometry grid, Clock clock) {
        this.jdbi = jdbi;
        this.sites = new SiteDao(jdbi);
        this.lookup = new SiteLookup(jdbi);
        this.heatmaps = new HeatmapQuery(jdbi, grid);
        this.scroll = new ScrollReport(jdbi, grid.bucketPx());
        this.elements = new ElementReport(jdbi);
        this.calendar = new CalendarReport(jdbi);
        this.grid = grid;
        this.clock = clock;
    }

    public Optional<Site> site(String key) {
        return sites.findByKey(key);
    }

    /** The page of {@code url} (400 when not a URL, 404 when unknown) and the range, checked as the read API does. */
    public View view(Site site, String url, String device, String from, String to, SegmentFilter segments) {
        DateRange range = DateRange.parse(from, to, LocalDate.now(clock.withZone(ZoneId.of(site.timeZone()))));
        return new View(site, lookup.page(site, url), device, range.from(), range.to(), segments);
    }

    public Heatmap heatmap(View view, String kind, Double sigma) {
        return ReadSnapshot.read(jdbi, h -> heatmap(h, view, kind, sigma));
    }

    /** In the caller's snapshot; the view's segments' page views only, as the read API answers. */
    private Heatmap heatmap(Handle h, View view, String kind, Double sigma) {
        Scope scope = view.scope();
        return heatmaps.heatmap(h, view.site().id(), view.pageId(), view.device(), kind, view.from(), view.to(), sigma, true,
                scope.filtered() ? scope.segmentIds(h) : null);
    }

    /** What an interactive or PNG export draws, read in one snapshot so its numbers agree with each other. */
    public record Drawn(long version, Heatmap heatmap, JsonNode scroll, JsonNode elements) {}

    /** The heatmap, the elements and (unless {@code withScroll} is false) the scroll report, in one snapshot. */
    public Drawn drawn(View view, String kind, Double sigma, boolean withScroll) {
        return ReadSnapshot.read(jdbi, h -> new Drawn(AggregateVersion.of(h, view.site().id()),
                heatmap(h, view, kind, sigma),
                withScroll ? JSON.valueToTree(scroll.scroll(h, view.scope())) : null,
                JSON.valueToTree(elements.elements(h, view.scope()))));
    }

    /** As {@code GET …/scroll} answers. */
    public JsonNode scroll(View view) {
        return JSON.valueToTree(scroll.scroll(view.scope()));
    }

    /** As {@code GET …/elements} answers. */
    public JsonNode elements(View view) {
        return JSON.valueToTree(elements.elements(view.scope()));
    }

    /** As {@code GET …/calendar} answers, for every device class. */
    public JsonNode calendar(View view) {
        return JSON.valueToTree(calendar.calendar(view.site().id(), view.pageId(), new DateRange(view.from(), view.to())));
    }

    public int layoutWidth(String device) {
        return grid.layoutWidth(device);
    }
}
