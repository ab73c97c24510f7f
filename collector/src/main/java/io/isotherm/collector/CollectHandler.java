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
 * origins, validate every field, then hand the batch to the group-commit writer and answer once it is committed.
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
    private final PageDirectory pages;
    private final GroupCommitWriter writer;
    private final CollectorSettings settings;
    private final CollectMetrics metrics;
    private final RejectionResponder responder;

    CollectHandler(SiteDirectory sites, PageDirectory pages, GroupCommitWriter writer, CollectorSettings settings,
                   CollectMetrics metrics, RejectionResponder responder) {
        this.sites = sites;
        this.pages = pages;
        this.writer = writer;
        this.settings = settings;
        this.metrics = metrics;
        this.responder = responder;
    }

    @Override
    public void handle(Context ctx) {
        Instant receivedAt = Instant.now();
        Cors.allow(ctx);
        if (BotFilter.isBot(ctx.userAgent())) {
            metrics.bot();
            ctx.status(204);
            return;
        }
        checkContentType(ctx.contentType());
        CollectBatch batch = parse(readBody(ctx));
        Site site = site(BatchValidator.siteKey(batch));
        String pageUrl = BatchValidator.pageUrl(batch, site);
        checkOrigins(site, ctx.header("Origin"), pageUrl);
        AcceptedBatch accepted = BatchValidator.validate(batch, site, pageUrl, url -> database(() -> pages.idFor(site.id(), url)), receivedAt,
                settings.deviceWidths());

        ctx.future(() -> writer.submit(accepted)
                .orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((outcome, error) -> {
                    if (error == null) {
                        metrics.stored(accepted.events().size(), outcome == GroupCommitWriter.Outcome.STORED);
                        ctx.status(202);
                    } else {
                        responder.respond(ctx, asRejection(error));
                    }
                    return null;
                }));
    }

    private static void checkContentType(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("text/plain") && !type.equals("application/json")) {
            throw new CollectRejection(CollectRejection.Reason.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be text/plain or application/json", null);
        }
    }

    /**
     * Reads at most maxBodyBytes. A larger body is refused with 413 and never buffered. A client that announced
     * {@code Expect: 100-continue} gets the 413 before it sends the body at all. Others have already started
     * sending; the rest (up to {@link #DISCARD_LIMIT}) is read and thrown away so they can receive the 413 at all:
     * closing on a client that is still writing makes it see a reset instead, and a tracker would retry.
     */
    private byte[] readBody(Context ctx) {
        int max = settings.maxBodyBytes();
        var tooLarge = new CollectRejection(CollectRejection.Reason.TOO_LARGE, "request body exceeds " + max + " bytes", null);
        boolean expectsContinue = "100-continue".equalsIgnoreCase(ctx.header("Expect"));
        if (ctx.contentLength() > max && (expectsContinue || ctx.contentLength() > DISCARD_LIMIT)) {
            throw tooLarge; // without touching the body stream: opening it would invite the client to send
        }
        try (InputStream in = ctx.bodyInputStream()) {
            if (ctx.contentLength() > max) {
                discard(in);
                throw tooLarge;
            }
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) {
                discard(in);
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
    private static void checkOrigins(Site site, String origin, String pageUrl) {
        if (origin != null && !Origins.allowed(site.origins(), origin)) {
            throw new CollectRejection(CollectRejection.Reason.ORIGIN_NOT_ALLOWED,
                    "origin " + origin + " is not allowed for this site", "Origin");
        }
        if (!Origins.allowed(site.origins(), Origins.of(URI.create(pageUrl)))) {
            throw new CollectRejection(CollectRejection.Reason.ORIGIN_NOT_ALLOWED, "url is not on an origin of this site", "url");
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
