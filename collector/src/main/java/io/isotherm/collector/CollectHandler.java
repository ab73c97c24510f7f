package io.isotherm.collector;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.isotherm.db.site.Origins;
import io.isotherm.db.site.Site;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@code POST /api/collect}, step by step: drop bots, check the body's type and size, parse, find the site, check
 * origins, drop excluded pages, validate every field, then hand the batch to the group-commit writer and answer
 * once it is committed. What became of each batch is counted per site for the installation check
 * ({@link IngestOutcomes}); a refusal is counted once the request is attributed to a site (see
 * {@link RejectionResponder#attributeTo}).
 */
final class CollectHandler implements Handler {
    /** Strict: unknown fields, trailing tokens, floats for ints and strings for numbers are errors. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private static final String FOREIGN_KEY_VIOLATION = "23503";
    /** Oversized bodies up to this size are drained so the client can read its 413; larger ones are cut off. */
    static final int DISCARD_LIMIT = 1024 * 1024;

    private final SiteDirectory sites;
    private final SiteHints hints;
    private final PageDirectory pages;
    private final ExcludedPages excludedPages = new ExcludedPages();
    private final GroupCommitWriter writer;
    private final CollectorSettings settings;
    private final CollectMetrics metrics;
    private final IngestOutcomes outcomes;
    private final RejectionResponder responder;

    CollectHandler(SiteDirectory sites, PageDirectory pages, GroupCommitWriter writer, CollectorSettings settings,
                   CollectMetrics metrics, IngestOutcomes outcomes, RejectionResponder responder) {
        this.sites = sites;
        this.hints = new SiteHints(sites);
        this.pages = pages;
        this.writer = writer;
        this.settings = settings;
        this.metrics = metrics;
        this.outcomes = outcomes;
        this.responder = responder;
    }

    @Override
    public void handle(Context ctx) {
        Instant receivedAt = Instant.now();
        Cors.allow(ctx);
        if (BotFilter.isBot(ctx.userAgent())) {
            dropBot(ctx);
            return;
        }
        checkContentType(ctx);
        CollectBatch batch = parse(ctx, readBody(ctx));
        Site site = site(BatchValidator.siteKey(batch));
        RejectionResponder.attributeTo(ctx, site); // from here on, every refusal is counted for this site
        String pageUrl = BatchValidator.pageUrl(batch, site);
        URI page = URI.create(pageUrl);
        checkOrigins(site, ctx.header("Origin"), page);
        if (excludedPages.excluded(site, page.getRawPath())) {
            dropExcluded(ctx, site);
            return;
        }
        AcceptedBatch accepted = BatchValidator.validate(batch, site, pageUrl, url -> database(() -> pages.idFor(site.id(), url)), receivedAt,
                settings.deviceWidths());

        ctx.future(() -> writer.submit(accepted)
                .orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((outcome, error) -> {
                    if (error == null) {
                        metrics.stored(accepted.events().size(), outcome == GroupCommitWriter.Outcome.STORED);
                        outcomes.stored(accepted, outcome, pageUrl, receivedAt);
                        ctx.status(202);
                    } else {
                        responder.respond(ctx, asRejection(error));
                    }
                    return null;
                }));
    }

    /**
     * Bots get 204, so they do not retry, and nothing is stored. Their body is read (no more than any other) only
     * to count them for their site: a site owner testing with a headless browser should see why nothing arrives.
     */
    private void dropBot(Context ctx) {
        metrics.bot();
        Site site = hints.fromJson(readBodyIfAny(ctx));
        if (site != null) {
            outcomes.count(site.id(), IngestOutcome.BOT);
        }
        ctx.status(204);
    }

    /** Pages the site's owner excluded are answered like bots: 204, so the tracker does not retry, and not stored. */
    private void dropExcluded(Context ctx, Site site) {
        metrics.excluded();
        outcomes.count(site.id(), IngestOutcome.EXCLUDED);
        ctx.status(204);
    }

    /** A wrong type is refused without parsing; its body is read only to find whose batch it was. */
    private void checkContentType(Context ctx) {
        String contentType = ctx.contentType();
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("text/plain") && !type.equals("application/json")) {
            RejectionResponder.attributeTo(ctx, hints.fromJson(readBodyIfAny(ctx)));
            throw new CollectRejection(CollectRejection.Reason.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be text/plain or application/json", null);
        }
    }

    /** The body, or null when it is too large or cannot be read: for finding the site of a batch that is dropped anyway. */
    private byte[] readBodyIfAny(Context ctx) {
        try {
            return readBody(ctx);
        } catch (CollectRejection | UncheckedIOException e) {
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
        var tooLarge = new CollectRejection(CollectRejection.Reason.TOO_LARGE, "request body exceeds " + max + " bytes", null);
        boolean expectsContinue = "100-continue".equalsIgnoreCase(ctx.header("Expect"));
        if (ctx.contentLength() > max && (expectsContinue || ctx.contentLength() > DISCARD_LIMIT)) {
            throw tooLarge; // without touching the body stream: opening it would invite the client to send
        }
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max || ctx.contentLength() > max) {
                discard(in);
                RejectionResponder.attributeTo(ctx, hints.fromBytes(body));
                throw tooLarge;
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

    /** Parses the body; a refused one is counted for the site its bytes name, if they name one. */
    private CollectBatch parse(Context ctx, byte[] body) {
        try {
            return parse(body);
        } catch (CollectRejection e) {
            RejectionResponder.attributeTo(ctx, hints.fromBytes(body));
            throw e;
        }
    }

    private static CollectBatch parse(byte[] body) {
        CollectBatch batch;
        try {
            batch = JSON.readValue(body, CollectBatch.class);
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw new CollectRejection(CollectRejection.Reason.INVALID, field + " is not a known field", field);
        } catch (JsonMappingException e) {
            // A syntax error inside a nested object arrives wrapped with that object's path: still malformed.
            if (Causes.find(e, StreamReadException.class) != null) {
                throw malformed("body is not valid JSON");
            }
            String field = path(e);
            if (field.isEmpty()) {
                throw malformed("body must be a JSON object");
            }
            throw new CollectRejection(CollectRejection.Reason.INVALID, field + " has the wrong type", field);
        } catch (JacksonException e) {
            throw malformed("body is not valid JSON");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (batch == null) { // the body was the JSON literal null
            throw malformed("body must be a JSON object");
        }
        return batch;
    }

    private static CollectRejection malformed(String message) {
        return new CollectRejection(CollectRejection.Reason.MALFORMED, message, null);
    }

    /** Jackson's path as {@code events[3].x}. */
    private static String path(JsonMappingException e) {
        var path = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private Site site(String key) {
        return database(() -> sites.find(key)).orElseThrow(() ->
                new CollectRejection(CollectRejection.Reason.UNKNOWN_SITE, "no site has this key", "site"));
    }

    /** The page must belong to the site, and so must the browser's Origin when it sends one. */
    private static void checkOrigins(Site site, String origin, URI page) {
        if (origin != null && !Origins.allowed(site.origins(), origin)) {
            throw CollectRejection.originNotAllowed("origin " + origin + " is not allowed for this site", "Origin", origin);
        }
        String pageOrigin = Origins.of(page);
        if (!Origins.allowed(site.origins(), pageOrigin)) {
            throw CollectRejection.originNotAllowed("url is not on an origin of this site", "url", pageOrigin);
        }
    }

    /** Runs a lookup; a database that cannot answer becomes a 503 so the tracker retries. */
    private static <T> T database(Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (CollectRejection e) {
            throw e;
        } catch (RuntimeException e) {
            if (FOREIGN_KEY_VIOLATION.equals(Causes.sqlState(e))) {
                // The page's site was removed while its key was still cached here.
                throw new CollectRejection(CollectRejection.Reason.UNKNOWN_SITE, "no site has this key", "site");
            }
            throw new CollectRejection(CollectRejection.Reason.DATABASE_UNAVAILABLE, "the database is unavailable; retry later", null);
        }
    }

    private static CollectRejection asRejection(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CollectRejection rejection) {
            return rejection;
        }
        if (cause instanceof TimeoutException) {
            return new CollectRejection(CollectRejection.Reason.DATABASE_UNAVAILABLE, "storing took too long; retry later", null);
        }
        return new CollectRejection(CollectRejection.Reason.DATABASE_UNAVAILABLE, "events could not be stored; retry later", null);
    }
}
