package io.isotherm.capture;

import org.apache.commons.lang3.concurrent.BasicThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.isotherm.capture.CaptureFailure.Reason.TOO_LARGE;

/**
 * Every request of the captured page passes through here before it is sent (CDP Fetch interception on a DevTools
 * session of our own): main-frame navigations, redirect hops included, must pass {@link UrlGuard#pageProblem},
 * anything else {@link UrlGuard#allowsResource}. A refused navigation fails the whole capture, a refused resource
 * only itself. The page's frames and workers (auto-attached, paused until instrumented) and service and shared
 * workers are covered. WebSocket handshakes pass neither Fetch nor Network.setBlockedURLs, so the WebSocket
 * constructor is replaced by one that refuses, in every document and worker, before their scripts run; so is
 * RTCPeerConnection, whose STUN and TURN connections go to any address the page names (Browser's WebRTC policy
 * already stops UDP, but not TURN over TCP), and WebTransport, whose QUIC (UDP) connections pass the interception
 * too. Also counts
 * the bytes received, tracks requests in flight for the network-idle wait, and keeps the main document's status.
 */
final class TrafficGuard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TrafficGuard.class);
    private static final Duration SETUP = Duration.ofSeconds(10);
    private static final Map<String, Object> AUTO_ATTACH = Map.of("autoAttach", true, "waitForDebuggerOnStart", true, "flatten", true);
    private static final String NO_SOCKETS = refusing("WebSocket", "no WebSockets in a capture")
            + refusing("RTCPeerConnection", "no WebRTC in a capture")
            + refusing("webkitRTCPeerConnection", "no WebRTC in a capture")
            + refusing("WebTransport", "no WebTransport in a capture");
    /** What every session gets, in this order; documents and workers each reject the other's commands. */
    private static final List<String> INSTRUMENTS = List.of("Network.enable", "Fetch.enable", "Target.setAutoAttach",
            "Page.enable", "Page.addScriptToEvaluateOnNewDocument", "Runtime.evaluate");

    /** The main document's response. */
    record MainResponse(URI url, int status, String statusText) {
    }

    private final DevTools devTools;
    private final UrlGuard guard;
    private final String targetId;
    private final String pageSession;
    private final long maxBytes;
    /** Decisions may resolve host names: off the socket thread, which delivers the events. */
    private final ExecutorService decisions = Executors.newCachedThreadPool(new BasicThreadFactory.Builder().namingPattern("isotherm-capture-requests").daemon(true).build());
    private final AtomicReference<CaptureFailure> failure = new AtomicReference<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<String> mainRequests = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> received = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private volatile MainResponse mainResponse;
    private volatile String navigationError;
    private volatile long lastActivity = System.nanoTime();

    /** Instruments the page target {@code targetId} (chromedriver's window handle); nothing is loaded yet. */
    TrafficGuard(DevTools devTools, String targetId, UrlGuard guard, long maxBytes) {
        this.devTools = devTools;
        this.targetId = targetId;
        this.guard = guard;
        this.maxBytes = maxBytes;
        devTools.on("Fetch.requestPaused", (session, p) -> decisions.execute(() -> decide(session, p)));
        devTools.on("Target.attachedToTarget", (session, p) -> instrument((String) p.get("sessionId")));
        devTools.on("Network.requestWillBeSent", this::requestWillBeSent);
        devTools.on("Network.responseReceived", this::responseReceived);
        devTools.on("Network.dataReceived", this::dataReceived);
        devTools.on("Network.loadingFinished", this::loadingFinished);
        devTools.on("Network.loadingFailed", this::loadingFailed);
        this.pageSession = (String) devTools.call(null, "Target.attachToTarget", Map.of("targetId", targetId, "flatten", true), SETUP).get("sessionId");
        for (String method : INSTRUMENTS) {
            devTools.call(pageSession, method, params(method), SETUP);
        }
        // Service and shared workers are not the page's children: the browser attaches them.
        devTools.call(null, "Target.setAutoAttach", Map.of("autoAttach", true, "waitForDebuggerOnStart", true, "flatten", true,
                "filter", List.of(Map.of("type", "service_worker"), Map.of("type", "shared_worker"))), SETUP);
    }

    /** A frame or worker that waits for us before it runs: the same instruments, then let it go (in this order). */
    private void instrument(String session) {
        for (String method : INSTRUMENTS) {
            devTools.send(session, method, params(method)).exceptionally(e -> {
                log.debug("{} failed on an attached target: {}", method, e.toString()); // workers lack Page
                return null;
            });
        }
        devTools.send(session, "Runtime.runIfWaitingForDebugger", Map.of());
    }

    private static Map<String, Object> params(String method) {
        return switch (method) {
            case "Fetch.enable" -> Map.of("patterns", List.of(Map.of("urlPattern", "*", "requestStage", "Request")));
            case "Page.addScriptToEvaluateOnNewDocument" -> Map.of("source", NO_SOCKETS, "runImmediately", true);
            case "Runtime.evaluate" -> Map.of("expression", NO_SOCKETS); // a worker's global scope, before it runs
            case "Target.setAutoAttach" -> AUTO_ATTACH;
            default -> Map.of();
        };
    }

    /** Replaces a global constructor for good (not configurable, not writable) by one that throws. */
    private static String refusing(String name, String message) {
        return "Object.defineProperty(globalThis, '" + name + "', {configurable: false, writable: false, "
                + "value: function " + name + "() { throw new DOMException('" + message + "', 'SecurityError'); }});";
    }

    void throwIfFailed() throws CaptureFailure {
        CaptureFailure f = failure.get();
        if (f != null) throw f;
    }

    Optional<MainResponse> mainResponse() {
        return Optional.ofNullable(mainResponse);
    }

    /** The network error of the top frame's last failed navigation, like net::ERR_CONNECTION_REFUSED. */
    Optional<String> navigationError() {
        return Optional.ofNullable(navigationError);
    }

    /** Waits until no request is in flight and nothing happened for {@code quiet}, at most {@code max}. */
    boolean awaitIdle(Duration quiet, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end && failure.get() == null) {
            if (inFlight.isEmpty() && System.nanoTime() - lastActivity >= quiet.toNanos()) return true;
            Thread.sleep(50);
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private void decide(String session, Map<String, Object> p) {
        String url = (String) ((Map<String, Object>) p.get("request")).get("url");
        boolean mainFrame = isMainDocument(session, p);
        boolean allowed = allowed(url, mainFrame, p.get("redirectedRequestId") != null);
        devTools.send(session, allowed ? "Fetch.continueRequest" : "Fetch.failRequest", allowed
                ? Map.of("requestId", p.get("requestId"))
                : Map.of("requestId", p.get("requestId"), "errorReason", "BlockedByClient"));
    }

    private boolean allowed(String url, boolean mainFrame, boolean redirect) {
        if (failure.get() != null) return false; // the capture is over: load nothing more
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException notAUri) {
            // data: URLs may hold characters java.net.URI rejects; they never reach the network.
            return !mainFrame && (url.startsWith("data:") || url.startsWith("blob:"));
        }
        if (mainFrame) {
            UrlGuard.Problem problem = guard.pageProblem(uri);
            if (problem == null) return true;
            fail(new CaptureFailure(problem.reason(), "The page " + (redirect ? "redirected" : "navigated") + " to " + url
                    + ", which " + problem.clause() + ". " + problem.advice()));
            return false;
        }
        boolean allowed = guard.allowsResource(uri);
        if (!allowed) log.debug("refused a resource request to {}", url);
        return allowed;
    }

    private void requestWillBeSent(String session, Map<String, Object> p) {
        lastActivity = System.nanoTime();
        String key = key(p);
        inFlight.add(key);
        if (isMainDocument(session, p)) mainRequests.add(key);
    }

    @SuppressWarnings("unchecked")
    private void responseReceived(String session, Map<String, Object> p) {
        lastActivity = System.nanoTime();
        if (!isMainDocument(session, p)) return;
        Map<String, Object> response = (Map<String, Object>) p.get("response");
        try {
            mainResponse = new MainResponse(URI.create((String) response.get("url")),
                    ((Number) response.get("status")).intValue(), String.valueOf(response.getOrDefault("statusText", "")));
        } catch (IllegalArgumentException notAUri) {
            log.debug("main response with an unparsable URL {}", response.get("url"));
        }
    }

    private void dataReceived(String session, Map<String, Object> p) {
        lastActivity = System.nanoTime();
        long length = ((Number) p.getOrDefault("dataLength", 0)).longValue();
        received.merge(key(p), length, Long::sum);
        count(length);
    }

    private void loadingFinished(String session, Map<String, Object> p) {
        String key = done(session, p);
        // The encoded length is what crossed the wire; dataReceived counted decoded bytes as they came.
        long encoded = ((Number) p.getOrDefault("encodedDataLength", 0)).longValue();
        Long counted = received.remove(key);
        count(Math.max(0, encoded - (counted == null ? 0 : counted)));
    }

    private void loadingFailed(String session, Map<String, Object> p) {
        String key = done(session, p);
        received.remove(key);
        if (mainRequests.remove(key)) navigationError = String.valueOf(p.get("errorText"));
    }

    private String done(String session, Map<String, Object> p) {
        lastActivity = System.nanoTime();
        String key = key(p);
        inFlight.remove(key);
        return key;
    }

    private void count(long more) {
        if (bytes.addAndGet(more) > maxBytes) {
            fail(new CaptureFailure(TOO_LARGE, "The page downloaded more than " + megabytes(maxBytes)
                    + " MB, the capture size limit. Capture a lighter page, or raise the limit in the capture settings."));
        }
    }

    /** The top frame's id is its target's id; its document requests are the navigations. */
    private boolean isMainDocument(String session, Map<String, Object> p) {
        Object type = p.containsKey("resourceType") ? p.get("resourceType") : p.get("type");
        return pageSession.equals(session) && "Document".equals(type) && targetId.equals(p.get("frameId"));
    }

    private void fail(CaptureFailure f) {
        if (failure.compareAndSet(null, f)) log.debug("capture stopped: {}", f.getMessage());
    }

    /** Not per session: an out-of-process iframe's navigation starts in its parent's session and ends in its own. */
    private static String key(Map<String, Object> p) {
        return String.valueOf(p.get("requestId"));
    }

    private static String megabytes(long bytes) {
        return bytes % 1_000_000 == 0 ? String.valueOf(bytes / 1_000_000) : String.format(java.util.Locale.ROOT, "%.1f", bytes / 1e6);
    }

    @Override
    public void close() {
        decisions.shutdownNow();
        devTools.close();
    }
}
