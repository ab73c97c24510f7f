package io.isotherm.capture;

import org.openqa.selenium.SessionNotCreatedException;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.stream.Stream;

import static io.isotherm.capture.CaptureFailure.Reason.CHROMIUM_MISSING;

/**
 * One headless Chromium for one capture, with a fresh profile that is deleted afterwards (no cookies or cache shared
 * between captures). {@link #kill()} may be called from another thread while the capture is still using it.
 */
final class Browser implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Browser.class);
    static final String INSTALL_ADVICE = "Install Debian's chromium and chromium-driver packages "
            + "(apt-get install -y chromium chromium-driver) or set ISOTHERM_CHROMIUM / ISOTHERM_CHROMEDRIVER.";
    /**
     * Selenium looks for CDP bindings matching the browser and warns at every start when there are none (Debian's
     * Chromium is older than Selenium's bindings). Only executeCdpCommand and a DevTools connection of our own are
     * used, so the warning is noise.
     * A strong reference, as java.util.logging forgets the level of a logger nobody holds.
     */
    private static final java.util.logging.Logger CDP_VERSION_FINDER =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_VERSION_FINDER.setLevel(Level.SEVERE);
    }

    /** Navigator.globalPrivacyControl before any page script: a capture is nobody's visit. */
    private static final String GPC = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', "
            + "{get: () => true, configurable: true});";

    private final CaptureSettings settings;
    private final Device device;
    private final int width;
    private final Path profile;
    private final ChromeDriverService service;
    private volatile ChromeDriver driver;
    private volatile DevTools devTools;
    private volatile boolean killed;

    Browser(CaptureSettings settings, Device device, int width) {
        this.settings = settings;
        this.device = device;
        this.width = width;
        try {
            this.profile = Files.createTempDirectory("isotherm-capture-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a browser profile directory", e);
        }
        this.service = new ChromeDriverService.Builder()
                .usingDriverExecutable(settings.chromedriver().toFile())
                .usingAnyFreePort()
                .withSilent(true)
                .build();
    }

    /** Both executables present, before anything is started. */
    static void checkInstalled(CaptureSettings settings) throws CaptureFailure {
        for (Path program : List.of(settings.chromium(), settings.chromedriver())) {
            if (!Files.isRegularFile(program) || !Files.isExecutable(program)) {
                throw new CaptureFailure(CHROMIUM_MISSING, program + " is missing or not executable, so pages "
                        + "cannot be captured. " + INSTALL_ADVICE);
            }
        }
    }

    /** Starts Chromium, sets up the device emulation and connects to its DevTools; requests are not yet intercepted. */
    ChromeDriver launch() throws CaptureFailure {
        ChromeOptions options = new ChromeOptions();
        // The binary and the driver are both explicit, so Selenium Manager never looks for (or downloads) either.
        options.setBinary(settings.chromium().toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync",
                // Overlay scrollbars would otherwise take 15 px of the layout width on desktop.
                "--hide-scrollbars",
                // WebRTC's STUN and TURN traffic passes neither the request interception nor the address guard:
                // no UDP at all (STUN, TURN over UDP, host candidates). TURN over TCP still connects directly with
                // this policy and no proxy, so TrafficGuard also removes RTCPeerConnection from every page.
                "--webrtc-ip-handling-policy=disable_non_proxied_udp",
                "--window-size=" + width + "," + device.viewportHeight,
                "--user-data-dir=" + profile);
        // chromedriver turns the popup blocker off; a popup is a new tab that the request interception does not cover.
        options.setExperimentalOption("excludeSwitches", List.of("disable-popup-blocking"));
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.DISMISS);
        ChromeDriver started;
        try {
            started = new ChromeDriver(service, options);
        } catch (SessionNotCreatedException e) {
            throw new CaptureFailure(CHROMIUM_MISSING, "Chromium could not be started (" + firstLine(e) + "). "
                    + "Check that chromium and chromium-driver are installed at the same version. " + INSTALL_ADVICE, e);
        }
        driver = started;
        if (killed) { // the capture timed out while Chromium was starting
            started.quit();
            throw new WebDriverException("the capture was stopped while Chromium started");
        }
        emulate(started);
        devTools = DevTools.connect(devToolsUrl(started), Duration.ofSeconds(10));
        return started;
    }

    /** Our own DevTools connection to this browser, for the request interception; after {@link #launch()}. */
    DevTools devTools() {
        return devTools;
    }

    /** The browser's DevTools WebSocket, which Selenium looks up from chromedriver's debugger address. */
    private static URI devToolsUrl(ChromeDriver driver) {
        Object url = driver.getCapabilities().getCapability("se:cdp");
        if (!(url instanceof String ws)) throw new IllegalStateException("chromedriver reported no DevTools address");
        return URI.create(ws);
    }

    private void emulate(ChromeDriver d) {
        String major = d.getCapabilities().getBrowserVersion().split("\\.")[0];
        d.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width,
                "height", device.viewportHeight, "deviceScaleFactor", 1, "mobile", device.mobile,
                "screenWidth", width, "screenHeight", device.viewportHeight));
        if (device.mobile) d.executeCdpCommand("Emulation.setTouchEmulationEnabled", Map.of("enabled", true, "maxTouchPoints", 5));
        d.executeCdpCommand("Emulation.setUserAgentOverride", device.userAgentOverride(major));
        d.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", GPC));
        d.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "deny"));
    }

    /**
     * Kills chromedriver and Chromium at once, without asking them (they may be stuck), and waits until they are gone.
     * The capture thread's pending calls then fail.
     */
    void kill() {
        killed = true;
        String port = "--port=" + service.getUrl().getPort();
        String userDataDir = "--user-data-dir=" + profile;
        List<ProcessHandle> ours = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().filter(c -> c.contains(port) || c.contains(userDataDir)).isPresent())
                .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
                .distinct()
                .toList();
        ours.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : ours) {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                log.warn("browser process {} did not exit: {}", p.pid(), e.toString());
            }
        }
    }

    /** Quits the browser, kills what is left of it and deletes its profile. */
    @Override
    public void close() {
        if (devTools != null) devTools.close();
        ChromeDriver d = driver;
        if (d != null) {
            try { // fails at once after kill(), but still frees Selenium's connections
                d.quit();
            } catch (RuntimeException e) {
                log.debug("quitting Chromium failed: {}", e.toString());
            }
        }
        kill(); // what quit left behind, if anything
        service.stop();
        deleteProfile();
    }

    private void deleteProfile() {
        try (Stream<Path> paths = Files.walk(profile)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete the browser profile {}: {}", profile, e.toString());
        }
    }

    static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }
}
