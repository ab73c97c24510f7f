package io.isotherm.launcher.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads each request body before the application sees it, without a thread: Jetty calls back when bytes arrive, so
 * a thousand clients sending one byte a second hold memory and sockets, not the worker threads that /health, the
 * dashboard and every other batch need (the platform runs on Java 17, without virtual threads). The application is
 * called once the body is whole, or once {@link #PREFETCH_BYTES} have arrived (a screenshot upload: the rest is read
 * by the application as it comes).
 * <p>
 * Meanwhile a timer checks the body's pace, until its last byte is read: it must arrive within the deadline and, once
 * {@link #RATE_GRACE} has passed, at the minimum average rate. A body that misses either is answered 408 with a JSON
 * error if the application has not started yet; if it has, its next read fails with a {@link TimeoutException},
 * which {@link BodyReadErrors} turns into the same 408. A body cut short, or sent in broken chunks, gets 400. Either
 * way the connection is closed, since its remaining bytes are never read.
 */
final class BodyGuard extends Handler.Wrapper {
    private static final Logger log = LoggerFactory.getLogger(BodyGuard.class);

    /** The rate is not judged before this: a body's first bytes may trail its headers by a round trip. */
    static final Duration RATE_GRACE = Duration.ofSeconds(2);
    /** Bodies up to this size reach the application whole; larger ones (screenshots) are streamed after this much. */
    static final int PREFETCH_BYTES = 256 * 1024;
    private static final long CHECK_EVERY_MILLIS = 500;

    private final HttpLimits limits;

    BodyGuard(HttpLimits limits) {
        this.limits = limits;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!hasBody(request.getHeaders())) {
            return super.handle(request, response, callback);
        }
        new GuardedBody(request, response, callback).start();
        return true;
    }

    private static boolean hasBody(HttpFields headers) {
        return headers.contains(HttpHeader.TRANSFER_ENCODING) || headers.getLongField(HttpHeader.CONTENT_LENGTH) > 0;
    }

    /** Why a body is refused, or null while it keeps pace. */
    private String tooSlow(long elapsedNanos, long received) {
        if (elapsedNanos >= limits.bodyDeadline().toNanos()) {
            return "the request body did not arrive within " + limits.bodyDeadline().toSeconds() + " s";
        }
        int minRate = limits.minBodyBytesPerSecond();
        if (minRate > 0 && elapsedNanos >= RATE_GRACE.toNanos() && received * 1_000_000_000.0 / elapsedNanos < minRate) {
            return "the request body arrived slower than " + minRate + " bytes per second";
        }
        return null;
    }

    /** One request's body: prefetched, then handed to the application, under one timer. */
    private final class GuardedBody extends Request.Wrapper implements Runnable {
        private enum Stage { PREFETCHING, HANDLING, REFUSED, DONE }

        private final Response response;
        private final Callback callback;
        private final long startNanos = NanoTime.now();
        private final ArrayDeque<Content.Chunk> prefetched = new ArrayDeque<>();
        // All guarded by this:
        private Stage stage = Stage.PREFETCHING;
        private long received;
        private boolean complete;
        private Content.Chunk timedOut;
        private Runnable pendingDemand;
        private Scheduler.Task check;

        GuardedBody(Request request, Response response, Callback callback) {
            super(request);
            this.response = response;
            this.callback = Callback.from(this::done, callback);
        }

        void start() {
            scheduleCheck();
            run();
        }

        /** Prefetching: takes what has arrived and asks to be called back when more does. */
        @Override
        public void run() {
            Throwable failure = null;
            boolean handOn = false;
            synchronized (this) {
                while (stage == Stage.PREFETCHING) {
                    Content.Chunk chunk = getWrapped().read();
                    if (chunk == null) {
                        getWrapped().demand(this);
                        return;
                    }
                    if (Content.Chunk.isFailure(chunk)) {
                        failure = chunk.getFailure();
                        stage = Stage.REFUSED;
                        releasePrefetched();
                    } else {
                        received += chunk.remaining();
                        complete = chunk.isLast();
                        prefetched.add(chunk);
                        if (complete || received >= PREFETCH_BYTES) {
                            stage = Stage.HANDLING;
                            handOn = true;
                        }
                    }
                }
            }
            if (failure != null) {
                refuse(failure);
            } else if (handOn) {
                handOn();
            }
        }

        private void handOn() {
            try {
                if (!getHandler().handle(this, response, callback)) {
                    Response.writeError(this, response, callback, 404);
                }
            } catch (Throwable x) {
                Response.writeError(this, response, callback, x);
            }
        }

        private void refuse(Throwable failure) {
            if (stopping()) {
                // Stopping ends the reads of bodies still arriving: the client did nothing wrong, so it is told to retry
                // (to the next server), never that its request was bad (a tracker drops a batch answered 4xx).
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                refuse(503, "the server is stopping; retry the request");
                return;
            }
            var error = BodyReadErrors.classify(failure)
                    .orElse(new BodyReadErrors.Refusal(400, "the request body could not be read"));
            refuse(error.status(), error.message());
        }

        private boolean stopping() {
            Server server = getServer();
            return BodyGuard.this.isStopping() || BodyGuard.this.isStopped() || (server != null && (server.isStopping() || server.isStopped()));
        }

        private void refuse(int status, String message) {
            log.debug("{} {} from {}: {}", getMethod(), getHttpURI().getPath(), Request.getRemoteAddr(this), message);
            Response.writeError(this, response, callback, status, message);
        }

        private void scheduleCheck() {
            check = getComponents().getScheduler().schedule(this::check, CHECK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        }

        private void check() {
            String problem;
            Runnable wake = null;
            boolean refuseNow = false;
            synchronized (this) {
                if (complete || stage == Stage.REFUSED || stage == Stage.DONE) return;
                problem = tooSlow(NanoTime.since(startNanos), received);
                if (problem == null) {
                    scheduleCheck();
                    return;
                }
                if (stage == Stage.PREFETCHING) {
                    stage = Stage.REFUSED;
                    releasePrefetched();
                    refuseNow = true;
                } else {
                    timedOut = Content.Chunk.from(new TimeoutException(problem), true);
                    wake = pendingDemand;
                    pendingDemand = null;
                }
            }
            if (refuseNow) refuse(408, problem);
            if (wake != null) wake.run();
        }

        private void done() {
            synchronized (this) {
                stage = Stage.DONE;
                if (check != null) check.cancel();
                releasePrefetched();
            }
        }

        private void releasePrefetched() {
            Content.Chunk chunk;
            while ((chunk = prefetched.poll()) != null) chunk.release();
        }

        // The application's side: the prefetched chunks first, then the rest as it arrives, unless the timer tripped.

        @Override
        public Content.Chunk read() {
            synchronized (this) {
                Content.Chunk next = prefetched.poll();
                if (next != null) return next;
                if (timedOut != null) return timedOut;
                if (complete) return Content.Chunk.EOF;
            }
            Content.Chunk chunk = super.read();
            if (chunk != null && !Content.Chunk.isFailure(chunk)) {
                synchronized (this) {
                    received += chunk.remaining();
                    complete = chunk.isLast();
                }
            }
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            boolean now;
            synchronized (this) {
                now = !prefetched.isEmpty() || timedOut != null || complete;
                if (!now) pendingDemand = demandCallback;
            }
            if (now) {
                demandCallback.run();
                return;
            }
            super.demand(Invocable.from(Invocable.getInvocationType(demandCallback), this::wakeReader));
        }

        /** Runs the application's demand once: either more bytes arrived or the timer tripped first. */
        private void wakeReader() {
            Runnable wake;
            synchronized (this) {
                wake = pendingDemand;
                pendingDemand = null;
            }
            if (wake != null) wake.run();
        }
    }
}
