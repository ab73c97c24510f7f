package io.isotherm.capture;

import io.isotherm.capture.FixtureServer.Response;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Element labels as a real Chromium shows the page to the capture: short visible text, else the author's names for
 * the element, a container's heading, long text cut short; never what a form field holds.
 */
class CaptureLabelsTest {
    private static FixtureServer server;
    private static Database db;
    private static Site site;
    private static long captureId;
    private static long pageId;

    @BeforeAll
    static void captureTheLabelsPage() throws Exception {
        server = FixtureServer.start("127.0.0.1")
                .route("/labels", Response.resource("labels.html"))
                .route("/logo.png", Response.png(Images.solid(80, 40, Images.BLUE)));
        db = TestPostgres.open();
        site = new SiteDao(db.jdbi()).add("Labels", server.origins(), List.of());
        String url = server.url("/labels");
        pageId = new CapturePages(db.jdbi()).pageOf(site, url);
        CaptureQueue.Job job = new CaptureQueue(db.jdbi()).begin(site.id(), pageId, "desktop", url, "cli");
        Shot shot = new PageCapturer(CaptureSettings.defaults().withAllowPrivateAddresses(true))
                .capture(new CaptureTarget(URI.create(url), site.origins(), "desktop", 1440));
        new CaptureResults(db.jdbi()).finish(job, shot);
        captureId = job.captureId();
    }

    @AfterAll
    static void stop() {
        if (db != null) db.close();
        server.close();
    }

    @Test
    void elements_are_named_by_their_text_or_their_authors_names_as_stored_with_the_capture_and_the_layout() {
        Map<String, String> stored = labels("""
                SELECT selector, label FROM capture_element WHERE site_id = :site AND capture_id = :capture""");

        assertThat(stored).contains(
                entry("#pricing-link", "See our pricing"), // whitespace collapsed
                entry("#nav", "See our pricing"),
                entry("#buy", "Buy Pro"),
                entry("#close", "Close dialog"), // an icon button: its aria-label
                entry("#dismiss", "Dismiss the banner"), // "×" says nothing: its aria-label
                entry("#logo", "Acme logo"),
                entry("#home", "Acme logo"), // a link around an image: the image's alt
                entry("#help", "Help and support"), // no text: its title
                entry("#plans", "Plans and prices"), // a container with long text: its heading
                entry("#start", "Start"),
                entry("#email-label", "Email"),
                entry("#email", "Email"), // a field: its <label>, not its value
                entry("#name", "Your name"), // its placeholder, not what was typed
                entry("#bare", null),
                entry("#notes", null),
                entry("#plan", null),
                entry("#editor", null),
                entry("#send", "Send message"), // a submit button's value is its author's label
                entry("#mixed", "Shown here")); // hidden text left out

        String cut = stored.get("#long");
        assertThat(cut).startsWith("Our plans grow with your team: start free").endsWith("…");
        assertThat(cut.codePointCount(0, cut.length())).isLessThanOrEqualTo(PageScripts.MAX_LABEL);

        // What fields held, in the markup, set by script or typed, is in no stored label of the capture or the layout.
        Map<String, String> layout = labels("""
                SELECT selector, label FROM layout_element WHERE site_id = :site AND page_id = :page AND device = 'desktop'""");
        assertThat(layout).containsAllEntriesOf(stored).hasSameSizeAs(stored);
        assertThat(stored.values()).filteredOn(label -> label != null && label.contains("secret")).isEmpty();
    }

    @Test
    void elements_wholly_outside_the_page_are_not_on_the_layout_those_partly_inside_are() {
        Map<String, String> layout = labels("""
                SELECT selector, label FROM layout_element WHERE site_id = :site AND page_id = :page AND device = 'desktop'""");

        // A click on them is listed as on an element not on the screenshot, not drawn at the edge they were pushed past.
        assertThat(layout).doesNotContainKeys("#drawer", "#drawer-link", "#cart", "#checkout", "#notice");
        assertThat(layout).containsKeys("#peek", "#buy");
    }

    @Test
    void the_capture_elements_read_carries_the_labels() {
        assertThat(new CaptureReads(db.jdbi()).elements(site.id(), captureId))
                .filteredOn(b -> b.selector().equals("#buy") || b.selector().equals("#notes"))
                .extracting(ElementBox::label)
                .containsExactlyInAnyOrder("Buy Pro", null);
    }

    @Test
    void a_label_from_the_page_is_checked_again_one_line_and_cut_at_60_chars_without_splitting_a_character() {
        assertThat(PageScripts.label("  Buy\n\t Pro ")).isEqualTo("Buy Pro");
        assertThat(PageScripts.label("Buy\u202E Pro\u0000")).isEqualTo("Buy Pro");
        assertThat(PageScripts.label(" \u3000 ")).isNull();
        assertThat(PageScripts.label("x".repeat(60))).isEqualTo("x".repeat(60));
        assertThat(PageScripts.label("x".repeat(61))).isEqualTo("x".repeat(59) + "…");
        String emoji = "\uD83D\uDE00".repeat(70); // 70 code points, 140 chars
        assertThat(PageScripts.label(emoji)).isEqualTo("\uD83D\uDE00".repeat(59) + "…");
    }

    private static Map<String, String> labels(String sql) {
        Map<String, String> labels = new HashMap<>();
        db.jdbi().useHandle(h -> h.createQuery(sql).bind("site", site.id()).bind("capture", captureId).bind("page", pageId)
                .map((rs, ctx) -> Map.entry(rs.getString(1), String.valueOf(rs.getString(2))))
                .forEach(e -> labels.put(e.getKey(), "null".equals(e.getValue()) ? null : e.getValue())));
        return labels;
    }
}
