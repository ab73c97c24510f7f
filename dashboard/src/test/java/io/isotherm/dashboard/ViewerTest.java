package io.isotherm.dashboard;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * What every viewer test class shares: a dashboard and one browser for the class, both closed after it. Each class
 * starts them in its own {@code @BeforeAll}, after writing its traffic.
 */
abstract class ViewerTest {
    @TempDir
    static Path profile;
    static DashboardServer server;
    static ViewerBrowser browser;

    @AfterAll
    static void stopViewer() {
        if (browser != null) browser.close();
        if (server != null) server.close();
        browser = null;
        server = null;
    }
}
