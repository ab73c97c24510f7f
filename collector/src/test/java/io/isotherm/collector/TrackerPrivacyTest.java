package io.isotherm.collector;

import io.isotherm.collector.BrowserSession.Box;
import io.isotherm.db.event.RawEvent;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Locale;

import static io.isotherm.collector.TestSite.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Visitors who send Do Not Track or Global Privacy Control are not recorded at all (not a single request reaches the
 * collector), unless the site's tag says {@code data-respect-dnt="false"}.
 */
class TrackerPrivacyTest {
    @RegisterExtension
    static final TrackerBrowser tracker = new TrackerBrowser();
    private final TestSite site = tracker.site();
    private final BrowserSession browser = tracker.browser();

    /** An opt-out signal, set in the page before any script runs, and how the page sees it. */
    enum Signal {
        DO_NOT_TRACK("Object.defineProperty(Navigator.prototype, 'doNotTrack', {get: () => '1'});",
                "navigator.doNotTrack === '1'"),
        GLOBAL_PRIVACY_CONTROL("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true});",
                "navigator.globalPrivacyControl === true");

        final String script;
        final String check;

        Signal(String script, String check) {
            this.script = script;
            this.check = check;
        }

        String folder() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    @ParameterizedTest
    @EnumSource(Signal.class)
    void records_nothing_of_a_visitor_who_opts_out(Signal signal) {
        String page = signal.folder() + "/layout.html";
        String control = signal.folder() + "-control/layout.html";
        double requestsBefore = collectRequests();

        visit(site.url(page), signal);
        // A visitor without the signal, afterwards: once their click is stored, anything the first page sent would be too.
        browser.open(site.url(control));
        Box buy = browser.box("#buy");
        browser.click(buy.x(0.5), buy.y(0.5));
        browser.closeTab();
        site.awaitClicks(control, 1);

        assertThat(site.batches(page)).isZero();
        assertThat(collectRequests() - requestsBefore).as("requests the collector answered").isEqualTo(site.batches(control));
    }

    @ParameterizedTest
    @EnumSource(Signal.class)
    void records_a_visitor_who_opts_out_when_the_site_sets_data_respect_dnt_false(Signal signal) {
        String page = signal.folder() + "-recorded/layout.html";

        List<Box> clicked = visit(site.url(page) + "?data-respect-dnt=false", signal);

        List<RawEvent> clicks = ofKind(site.awaitClicks(page, 2), "click");
        assertThat(clicks).extracting(RawEvent::selector).containsExactly("#buy", "body>main>div:nth-of-type(2)");
        assertThat(clicks.get(0).x()).isEqualTo(clicked.get(0).x(0.5));
    }

    /** Loads the page with the signal on, clicks #buy and the tile, moves, scrolls, and closes the tab. */
    private List<Box> visit(String url, Signal signal) {
        browser.newTab();
        browser.beforeLoad(signal.script);
        browser.load(url);
        assertThat(browser.js("return " + signal.check)).as("the page sees the signal").isEqualTo(true);
        Box buy = browser.box("#buy");
        Box tile = browser.box(".tile");
        browser.click(buy.x(0.5), buy.y(0.5));
        browser.moveMouse(600, 400);
        browser.click(tile.x(0.5), tile.y(0.5));
        browser.scrollTo(1000);
        browser.closeTab();
        return List.of(buy, tile);
    }

    /** Every request the collector has answered, whatever the answer. */
    private double collectRequests() {
        double requests = site.collector.counter("isotherm.collect.batches.accepted")
                + site.collector.counter("isotherm.collect.batches.duplicate")
                + site.collector.counter("isotherm.collect.batches.bot");
        for (DropReason reason : DropReason.values()) {
            if (reason.refused()) {
                requests += site.collector.counter("isotherm.collect.batches.rejected", "reason", reason.metricTag());
            }
        }
        return requests;
    }
}
