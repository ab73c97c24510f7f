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
     * The budget for what a visitor downloads. Issue 16 (accuracy on app-like pages) and the reports' segments raise
     * it from 2,048 to 2,400 together; scroll containers (page px of the unrolled page, the container's fold, the
     * container adopted when the document does not scroll) took it from 2,046 to 2,125.
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
                "interactive", "fixed", "rage", "dwell", "dpr", "tz", "data-site", "api/collect"}) {
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
