package io.isotherm.collector;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fixture of the browser tests: one {@link TestSite} and one {@link BrowserSession} for a whole test class,
 * started before its first test and closed after its last; after each test, the tabs it left open are closed.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TrackerBrowser tracker = new TrackerBrowser();
 * private final TestSite site = tracker.site();
 * private final BrowserSession browser = tracker.browser();
 * }</pre>
 *
 * The fields can be set from {@code tracker} as they are declared: JUnit creates a test instance for each test,
 * after {@link #beforeAll} has run.
 */
final class TrackerBrowser implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private Path profile;
    private TestSite site;
    private BrowserSession browser;

    TestSite site() {
        return site;
    }

    BrowserSession browser() {
        return browser;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        profile = Files.createTempDirectory("isotherm-chromium-");
        site = TestSite.start();
        browser = BrowserSession.start(profile);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        browser.closeOtherTabs();
    }

    // JUnit runs this even when beforeAll failed halfway.
    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (browser != null) browser.close();
        if (site != null) site.close();
        if (profile != null) delete(profile);
    }

    /** Deletes the profile the browser wrote, as a JUnit {@code @TempDir} would: the browser has quit by now. */
    private static void delete(Path directory) throws IOException {
        List<Path> deepestFirst;
        try (Stream<Path> paths = Files.walk(directory)) {
            deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : deepestFirst) {
            Files.delete(path);
        }
    }
}
