package io.isotherm.launcher.http;

import org.eclipse.jetty.http.HttpException;

import java.io.EOFException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * A request body that failed to arrive is the client's problem, not the server's: a clean 4xx with a JSON error,
 * never a 500 with a stack trace. Recognises the failures Jetty and {@link BodyGuard} end a body read with, anywhere
 * in an exception's causes (the servlet layer wraps them in an {@code IOException}, handlers in unchecked ones).
 */
public final class BodyReadErrors {
    /** The answer to a body that could not be read. */
    public record Refusal(int status, String message) {}

    private BodyReadErrors() {
    }

    public static Optional<Refusal> classify(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TimeoutException) {
                String message = cause.getMessage();
                return Optional.of(new Refusal(408, message != null && message.startsWith("the request body")
                        ? message : "the request body did not arrive in time"));
            }
            if (cause instanceof EOFException) {
                return Optional.of(new Refusal(400, "the request body ended before its announced length (Content-Length)"));
            }
            if (cause instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                String reason = http.getReason();
                return Optional.of(new Refusal(http.getCode(), reason == null || reason.isBlank()
                        ? "the request body is malformed" : "the request body is malformed: " + reason));
            }
        }
        return Optional.empty();
    }
}
