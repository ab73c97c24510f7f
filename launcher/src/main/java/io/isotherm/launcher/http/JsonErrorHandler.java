package io.isotherm.launcher.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The errors Jetty answers itself, before any route runs (headers too large, a malformed request, a body refused by
 * {@link BodyGuard}), in the same shape as every other error of the server: {@code {"error": "..."}}, never a page
 * or a stack trace. The connection is closed after them, since the request may not have been read to its end.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpLimits limits;

    JsonErrorHandler(HttpLimits limits) {
        this.limits = limits;
    }

    /** Jetty's default writes a body only for GET, POST and HEAD; a refused PUT or DELETE deserves one too. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, body(code, message), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(HttpHeader.CONNECTION, "close");
        return body(status, reason);
    }

    private ByteBuffer body(int status, String message) {
        String text = switch (status) {
            case 431 -> "the request headers exceed " + limits.maxHeaderBytes() + " bytes";
            case 414 -> "the request URI exceeds " + limits.maxHeaderBytes() + " bytes";
            default -> message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
        };
        try {
            return ByteBuffer.wrap(JSON.writeValueAsBytes(Map.of("error", text)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
