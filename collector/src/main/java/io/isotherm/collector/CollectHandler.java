package io.isotherm.collector;

import io.isotherm.db.site.Site;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * {@code POST /api/collect} as a list of steps: drop bots, check the body's type, read it (no more than allowed),
 * parse it, find its site, hold back clients and sites over their rate limits ({@link RateLimits}), then check it
 * against the site, against what a page view can hold ({@link PageviewLimits}) and give it a page
 * ({@link IngestSteps#accept}), and hand it to the group-commit writer, answering once it is committed. A step that drops the batch throws a
 * {@link Drop}, which {@link DropResponder} answers and counts: per site for the installation check once the
 * request is attributed to one (see {@link DropResponder#attributeTo}).
 */
final class CollectHandler implements Handler {
    /** Oversized bodies up to this size are drained so the client can read its 413; larger ones are cut off. */
    static final int DISCARD_LIMIT = 1024 * 1024;

    private final IngestSteps steps;
    private final SiteHints hints;
    private final GroupCommitWriter writer;
    private final CollectorSettings settings;
    private final CollectMetrics metrics;
    private final IngestOutcomes outcomes;
    private final DropResponder responder;
    private final ClientAddress clientAddress;
    private final RateLimits rateLimits;
    private final PageviewLimits pageviewLimits;

    CollectHandler(SiteDirectory sites, PageDirectory pages, GroupCommitWriter writer, CollectorSettings settings,
                   CollectMetrics metrics, IngestOutcomes outcomes, DropResponder responder, StoredReceipts receipts,
                   VisitClassifier visits, LongSupplier nanoTime) {
        this.steps = new IngestSteps(sites::find, pages::idFor, settings.deviceWidths(), visits);
        this.hints = new SiteHints(sites);
        this.writer = writer;
        this.settings = settings;
        this.metrics = metrics;
        this.outcomes = outcomes;
        this.responder = responder;
        this.clientAddress = new ClientAddress(settings.limits().clientAddressHeader());
        this.rateLimits = new RateLimits(settings.limits(), settings.retryAfter(), nanoTime);
        this.pageviewLimits = new PageviewLimits(settings.limits(), settings.retryAfter(), nanoTime, receipts::contains);
    }

    @Override
    public void handle(Context ctx) {
        Instant receivedAt = Instant.now();
        Cors.allow(ctx);
        dropBots(ctx);
        checkContentType(ctx);
        CollectBatch batch = parse(ctx, readBody(ctx));
        Site site = steps.findSite(batch);
        DropResponder.attributeTo(ctx, site); // from here on, every drop is counted for this site
        String client = clientAddress.of(ctx); // in memory only, as the limits' key: never stored, never logged
        limitRate(client, site);
        AcceptedBatch accepted = steps.accept(batch, site, ctx.header("Origin"), ctx.userAgent(), receivedAt,
                valid -> pageviewLimits.check(valid, client));
        enqueue(ctx, accepted, receivedAt);
    }

    /** Over its address's or its site's batch rate, a batch gets 429 with Retry-After before any further work. */
    private void limitRate(String client, Site site) {
        rateLimits.take(client, site.id());
    }

    /**
     * Bots get 204, so they do not retry, and nothing is stored. Their body is read (no more than any other) only
     * to count them for their site: a site owner testing with a headless browser should see why nothing arrives.
     */
    private void dropBots(Context ctx) {
        if (BotFilter.isBot(ctx.userAgent())) {
            DropResponder.attributeTo(ctx, hints.fromJson(readBodyIfAny(ctx)));
            throw Drop.bot();
        }
    }

    /** A wrong type is refused without parsing; its body is read only to find whose batch it was. */
    private void checkContentType(Context ctx) {
        String contentType = ctx.contentType();
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("text/plain") && !type.equals("application/json")) {
            DropResponder.attributeTo(ctx, hints.fromJson(readBodyIfAny(ctx)));
            throw Drop.unsupportedMediaType();
        }
    }

    /** The body, or null when it is too large or cannot be read: for finding the site of a batch that is dropped anyway. */
    private byte[] readBodyIfAny(Context ctx) {
        try {
            return readBody(ctx);
        } catch (Drop | UncheckedIOException e) {
            return null;
        }
    }

    /**
     * Reads at most maxBodyBytes. A larger body is refused with 413 and never buffered beyond that. A client that
     * announced {@code Expect: 100-continue} gets the 413 before it sends the body at all. Others have already started
     * sending; the rest (up to {@link #DISCARD_LIMIT}) is read and thrown away so they can receive the 413 at all:
     * closing on a client that is still writing makes it see a reset instead, and a tracker would retry. The bytes
     * read before the limit are scanned for the site key, to count the 413 for that site.
     */
    private byte[] readBody(Context ctx) {
        int max = settings.maxBodyBytes();
        boolean expectsContinue = "100-continue".equalsIgnoreCase(ctx.header("Expect"));
        if (ctx.contentLength() > max && (expectsContinue || ctx.contentLength() > DISCARD_LIMIT)) {
            throw Drop.tooLarge(max); // without touching the body stream: opening it would invite the client to send
        }
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max || ctx.contentLength() > max) {
                discard(in);
                DropResponder.attributeTo(ctx, hints.fromBytes(body));
                throw Drop.tooLarge(max);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void discard(InputStream in) throws IOException {
        byte[] sink = new byte[8192];
        long left = DISCARD_LIMIT;
        int n;
        while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
            left -= n;
        }
    }

    /** Parses the body; a dropped one is counted for the site its bytes name, if they name one. */
    private CollectBatch parse(Context ctx, byte[] body) {
        try {
            return BatchParser.parse(body);
        } catch (Drop e) {
            DropResponder.attributeTo(ctx, hints.fromBytes(body));
            throw e;
        }
    }

    /** Hands the batch to the writer; the answer waits for the commit (202) or its failure. */
    private void enqueue(Context ctx, AcceptedBatch accepted, Instant receivedAt) {
        ctx.future(() -> writer.submit(accepted)
                .orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((outcome, error) -> {
                    if (error == null) {
                        if (outcome == GroupCommitWriter.Outcome.STORED) {
                            pageviewLimits.stored(accepted.receipt());
                        }
                        metrics.stored(accepted.rows().size(), outcome == GroupCommitWriter.Outcome.STORED);
                        outcomes.stored(accepted, outcome, receivedAt);
                        ctx.status(202);
                    } else {
                        responder.respond(ctx, asDrop(error));
                    }
                    return null;
                }));
    }

    private static Drop asDrop(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof Drop drop) {
            return drop;
        }
        return cause instanceof TimeoutException ? Drop.storingTimedOut() : Drop.notStored();
    }
}
