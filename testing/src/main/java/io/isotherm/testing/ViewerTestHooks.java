package io.isotherm.testing;

import org.openqa.selenium.chrome.ChromeDriver;

import java.util.Map;

/**
 * The test flag of the viewer: with it, the viewer loads ui/test-hooks.js and exposes {@code window.isothermViewer}
 * (ready, settled, frames, lookup tables) for tests and the viewer benchmark to wait on and read. Production pages never carry it.
 */
public final class ViewerTestHooks {
    private ViewerTestHooks() {
    }

    /** Sets the flag before any script of every page this browser loads from now on, links followed included. */
    public static void enable(ChromeDriver driver) {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", "window.isothermTestHooks = true;"));
    }
}
