package io.isotherm.collector;

import io.isotherm.collector.BrowserSession.Box;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.UUID;

import static io.isotherm.collector.BrowserSession.pause;
import static io.isotherm.collector.TestSite.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The traffic segment as the tracker captures it in a real browser: a visitor follows a campaign link from another
 * site to a single-page app running variant B, then moves on inside the app. Every batch of each page view carries
 * the values of its start: the referrer's class (another site, then the site itself), the landing URL's utm values
 * (and nothing else of its query), the variant, and the browser's families.
 */
class TrackerSegmentTest {
    private static final String NO_TIMER = "window.setInterval = () => 0;";
    private static final String CAMPAIGN = "?utm_source=news&utm_medium=email&utm_campaign=spring&other=secret";

    @RegisterExtension
    static final TrackerBrowser tracker = new TrackerBrowser();
    private final TestSite site = tracker.site();
    private final BrowserSession browser = tracker.browser();

    /** ingest_batch's segment columns of one stored batch. */
    record Segment(String referrer, String utmSource, String utmMedium, String utmCampaign, String variant, String browser, String os) {
    }

    @Test
    void every_batch_carries_the_segment_its_page_view_started_with() {
        String landing = "campaign/campaign.html";
        String offer = "campaign/offer.html";
        Box pane = arriveFromAnotherSite(landing);
        browser.click(pane.x(0.2), pane.y(0.2));
        browser.js("dispatchEvent(new Event('pagehide'))"); // a first batch now, and the next one on navigation
        site.awaitClicks(landing, 1);
        browser.click(pane.x(0.4), pane.y(0.4));
        Box next = browser.box("#next");
        browser.click(next.x(0.5), next.y(0.5)); // history.pushState: a new page view of the same document
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(site.url(offer));
        pause(150);
        browser.click(pane.x(0.6), pane.y(0.6));
        browser.closeTab();

        site.awaitClicks(offer, 1);
        site.awaitClicks(landing, 3);
        List<Segment> landed = segments(landing);
        assertThat(landed).as("the landing page view's batches").hasSizeGreaterThanOrEqualTo(2)
                .containsOnly(new Segment("other", "news", "email", "spring", "B", "Chrome", "Windows"));
        assertThat(segments(offer)).as("the in-app page view's batches").isNotEmpty()
                .containsOnly(new Segment("internal", "news", "email", "spring", "B", "Chrome", "Windows"));
        for (String table : new String[]{"ingest_batch", "raw_event", "page"}) {
            assertThat(Stored.count(site.db, "SELECT count(*) FROM " + table + " t WHERE t::text LIKE '%secret%'"))
                    .as("rows of %s that hold the landing URL's other parameter", table).isZero();
        }
    }

    @Test
    void a_variant_set_on_the_script_tag_later_applies_from_the_next_page_view_on() {
        String landing = "later-variant/campaign.html";
        String offer = "later-variant/offer.html";
        Box pane = arriveFromAnotherSite(landing);
        browser.click(pane.x(0.2), pane.y(0.2));
        // The documented call (tracker-js/README.md), made once the page view has started.
        browser.js("document.querySelector('script[data-site]').dataset.variant = 'C'");
        browser.click(pane.x(0.4), pane.y(0.4));
        Box next = browser.box("#next");
        browser.click(next.x(0.5), next.y(0.5));
        pause(150);
        browser.click(pane.x(0.6), pane.y(0.6));
        browser.closeTab();

        site.awaitClicks(offer, 1);
        List<String> clicksOnLanding = ofKind(site.awaitClicks(landing, 3), "click").stream().map(c -> c.selector()).toList();
        assertThat(clicksOnLanding).containsExactly("#pane", "#pane", "#next");
        assertThat(segments(landing)).extracting(Segment::variant).containsOnly("B");
        assertThat(segments(offer)).isNotEmpty().extracting(Segment::variant).containsOnly("C");
    }

    /**
     * Opens a page of another origin (127.0.0.1 rather than the shop's localhost) and follows its link to the shop's
     * {@code landing} page with the campaign's query; answers the landing page's #pane.
     */
    private Box arriveFromAnotherSite(String landing) {
        browser.newTab();
        browser.beforeLoad(NO_TIMER);
        browser.load(site.url("elsewhere/referrer.html").replace("//localhost:", "//127.0.0.1:"));
        browser.js("document.getElementById('away').href = arguments[0]", site.url(landing) + CAMPAIGN);
        Box away = browser.box("#away");
        browser.click(away.x(0.5), away.y(0.5));
        TestSite.await("the landing page with its tracker", () -> browser.js(
                "return location.pathname.endsWith('campaign.html') && document.readyState == 'complete'"), Boolean.TRUE::equals);
        assertThat(browser.js("return document.referrer")).as("what the shop's page was told")
                .isEqualTo(site.url("").replace("//localhost:", "//127.0.0.1:"));
        return browser.box("#pane");
    }

    /** The segments of a page's batches, page view by page view, in the order of seq. */
    private List<Segment> segments(String path) {
        List<UUID> pageviews = site.pageviews(path);
        return site.db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT referrer, utm_source, utm_medium, utm_campaign, variant, browser, os
                        FROM ingest_batch WHERE pageview_id = ANY(:pageviews) ORDER BY pageview_id, seq""")
                .bind("pageviews", pageviews.toArray(UUID[]::new))
                .map((rs, ctx) -> new Segment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7)))
                .list());
    }
}
