package io.isotherm.capture;

import org.openqa.selenium.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Chrome DevTools Protocol connection of the capture's own to the browser (flat sessions), next to chromedriver's.
 * Request interception needs one: a session whose Fetch.continueRequest waits behind a page command of the same
 * session (as chromedriver's, and the BiDi mapper's, do during a navigation) deadlocks the navigation it decides on.
 * Events are delivered on the socket's thread, in order; listeners must not block on {@link #call}.
 */
final class DevTools implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DevTools.class);
    private static final Json JSON = new Json();

    /** An event listener: the session the event came from (null for the browser) and its params. */
    interface Listener {
        void on(String sessionId, Map<String, Object> params);
    }

    private final Map<Long, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Object sendLock = new Object();
    private final WebSocket socket;
    private CompletableFuture<WebSocket> sending;

    private DevTools(URI browserUrl, Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(timeout)
                .buildAsync(browserUrl, new Receiver()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        this.sending = CompletableFuture.completedFuture(socket);
    }

    static DevTools connect(URI browserUrl, Duration timeout) {
        try {
            return new DevTools(browserUrl, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to Chromium's DevTools", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot connect to Chromium's DevTools at " + browserUrl, e);
        }
    }

    void on(String method, Listener listener) {
        listeners.computeIfAbsent(method, m -> new CopyOnWriteArrayList<>()).add(listener);
    }

    /** Sends a command without waiting; the future completes with its result, or fails with its error. */
    CompletableFuture<Map<String, Object>> send(String sessionId, String method, Map<String, Object> params) {
        long id = ids.incrementAndGet();
        Map<String, Object> message = new HashMap<>();
        message.put("id", id);
        message.put("method", method);
        message.put("params", params);
        if (sessionId != null) message.put("sessionId", sessionId);
        CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
        pending.put(id, result);
        String text = JSON.toJson(message);
        synchronized (sendLock) { // the WebSocket takes one message at a time
            sending = sending.thenCompose(ws -> ws.sendText(text, true));
            sending.whenComplete((ws, e) -> {
                if (e != null) fail(id, e);
            });
        }
        return result;
    }

    /** Sends a command and waits for its result. */
    Map<String, Object> call(String sessionId, String method, Map<String, Object> params, Duration timeout) {
        try {
            return send(sessionId, method, params).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(method + " failed: " + e.getMessage(), e);
        }
    }

    private void fail(long id, Throwable e) {
        CompletableFuture<Map<String, Object>> result = pending.remove(id);
        if (result != null) result.completeExceptionally(e);
    }

    @SuppressWarnings("unchecked")
    private void receive(String text) {
        Map<String, Object> message = JSON.toType(text, Json.MAP_TYPE);
        if (message.get("id") instanceof Number id) {
            CompletableFuture<Map<String, Object>> result = pending.remove(id.longValue());
            if (result == null) return;
            if (message.get("error") != null) result.completeExceptionally(new IllegalStateException(String.valueOf(message.get("error"))));
            else result.complete((Map<String, Object>) message.getOrDefault("result", Map.of()));
        } else if (message.get("method") instanceof String method) {
            Map<String, Object> params = (Map<String, Object>) message.getOrDefault("params", Map.of());
            for (Listener listener : listeners.getOrDefault(method, List.of())) {
                try {
                    listener.on((String) message.get("sessionId"), params);
                } catch (RuntimeException e) { // a dying browser makes many; the socket thread must go on
                    log.debug("{} not handled: {}", method, e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        socket.abort();
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("DevTools connection closed")));
    }

    private final class Receiver implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                receive(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(f -> f.completeExceptionally(error));
        }
    }
}
