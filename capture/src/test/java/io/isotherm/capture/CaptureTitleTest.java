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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The page's own title, as a real Chromium shows it once the page has settled, stored with the capture. */
class CaptureTitleTest {
    private static FixtureServer server;
    private static Database db;
    private static Site site;
    private static CaptureQueue queue;
    private static CaptureResults results;
    private static CaptureReads reads;
    private static PageCapturer capturer;

    @BeforeAll
    static void start() {
        server = FixtureServer.start("127.0.0.1")
                // As a single-page app does: the title the tab shows is the one its script set, not the one in the markup.
                .route("/pricing", Response.html("""
                        <!doctype html><html><head><title>Loading…</title></head><body><h1>Pricing</h1>
                        <script>document.title = '\\u2003Pricing · Shop\\u3000';</script>
                        </body></html>"""))
                .route("/untitled", Response.html("<!doctype html><html><head></head><body><p>No title here.</p></body></html>"));
        db = TestPostgres.open();
        site = new SiteDao(db.jdbi()).add("Fixture", server.origins(), List.of());
        queue = new CaptureQueue(db.jdbi());
        results = new CaptureResults(db.jdbi());
        reads = new CaptureReads(db.jdbi());
        capturer = new PageCapturer(CaptureSettings.defaults().withAllowPrivateAddresses(true));
    }

    @AfterAll
    static void stop() {
        if (db != null) db.close();
        server.close();
    }

    @Test
    void the_title_a_script_sets_is_stored_trimmed_with_the_capture() throws Exception {
        Capture capture = captureAndStore("/pricing");

        assertThat(capture.status()).isEqualTo("ok");
        assertThat(capture.title()).isEqualTo("Pricing · Shop");
        assertThat(reads.history(site.id(), capture.pageId(), null)).extracting(Capture::title)
                .containsExactly("Pricing · Shop");
    }

    @Test
    void a_page_without_a_title_has_none() throws Exception {
        assertThat(captureAndStore("/untitled").title()).isNull();
    }

    @Test
    void a_title_is_trimmed_and_cut_at_300_chars_without_splitting_a_character() {
        assertThat(PageScripts.title("  Shop \n")).isEqualTo("Shop");
        assertThat(PageScripts.title(" \t ")).isNull();
        assertThat(PageScripts.title(null)).isNull();
        assertThat(PageScripts.title("x".repeat(301))).isEqualTo("x".repeat(300));
        assertThat(PageScripts.title("x".repeat(300))).hasSize(300);
        // An emoji (two chars) straddling the limit is dropped whole rather than cut in half.
        String straddling = "x".repeat(299) + "\uD83D\uDE00" + "tail";
        assertThat(PageScripts.title(straddling)).isEqualTo("x".repeat(299));
    }

    private static Capture captureAndStore(String path) throws CaptureFailure {
        String url = server.url(path);
        long page = new CapturePages(db.jdbi()).pageOf(site, url);
        CaptureQueue.Job job = queue.begin(site.id(), page, "desktop", url, "cli");
        results.finish(job, capturer.capture(new CaptureTarget(URI.create(url), site.origins(), "desktop", 1440)));
        return reads.find(site.id(), job.captureId()).orElseThrow();
    }
}
