package io.isotherm.tracker;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class TrackerSizeTest {
    /**
     * The budget for what a visitor downloads: 2,048 bytes, raised by issue 16 to 2,400 for accuracy on app-like pages
     * and for the segments of the reports. Of the rise, shadow DOM and same-origin frames (composed-path targets,
     * selectors and the interactive, ignore and fixed checks through hosts and iframes, frame coverage) took 245 bytes
     * (2,046 to 2,291 alone), scroll containers (page px of the unrolled page, the container's fold, the container
     * adopted when the document does not scroll) 79 (2,046 to 2,125 alone); together 2,323. The traffic segment on
     * every batch (the referrer's host, the landing query string, the variant; issue 17) took 62, to 2,385.
     */
    static final int BUDGET_GZIPPED_BYTES = 2400;

    private final TrackerScript script = TrackerScript.load();

    @Test
    void gzippedTrackerFitsTheBudget() {
        // `gzip -9 t.js` also stores the file name in its header ("t.js" and a NUL): count it, as the budget does.
        assertThat(script.gzipped().length + "t.js".length() + 1)
                .as("t.js gzipped at level 9 (minified %d bytes)", script.minified().length)
                .isLessThanOrEqualTo(BUDGET_GZIPPED_BYTES);
    }

    @Test
    void shippedScriptIsTheMinifiedSource() throws IOException {
        String source = Files.readString(Path.of("src/t.js"));
        String shipped = new String(script.minified(), StandardCharsets.UTF_8);
        assertThat(shipped.length()).isLessThan(source.length() / 2); // minified, not copied
        assertThat(shipped).doesNotContain("/*").doesNotContain("never break the host page");
        // Wire-format names must survive minification, or the collector would refuse every batch.
        for (String field : new String[] {"pageview", "sentAt", "viewport", "document", "selector", "boxX", "boxY",
                "interactive", "fixed", "rage", "dwell", "dpr", "tz", "referrer", "query", "variant", "data-site", "api/collect"}) {
            assertThat(shipped).contains(field);
        }
    }

    @Test
    void gzipCopyDecompressesToTheScript() throws IOException {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(script.gzipped()))) {
            assertThat(in.readAllBytes()).isEqualTo(script.minified());
        }
        assertThat(script.etag()).matches("\"[0-9a-f]{24}\"");
    }
}
