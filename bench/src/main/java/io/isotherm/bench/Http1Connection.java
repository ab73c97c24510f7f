package io.isotherm.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal blocking HTTP/1.1 client over one keep-alive connection, for {@code IngestLoad --client socket}: the
 * same request bytes as the JDK client sends (method, path, Host, User-Agent, Origin, Content-Type, Content-Length)
 * written with one system call, and a response parser that understands Content-Length, chunked bodies and
 * Connection: close. It exists because java.net.http.HttpClient spends about as much CPU per request as the
 * collector does, which matters when the load generator and the server share two cores.
 */
final class Http1Connection implements AutoCloseable {
    private final String host;
    private final int port;
    private final int timeoutMs;
    private final byte[] head; // request line and headers up to "Content-Length: "

    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private String lastBody = "";

    Http1Connection(URI url, Map<String, String> headers, int timeoutMs) {
        this.host = url.getHost().replace("[", "").replace("]", "");
        this.port = url.getPort() == -1 ? 80 : url.getPort();
        this.timeoutMs = timeoutMs;
        var h = new StringBuilder();
        h.append("POST ").append(url.getRawPath()).append(" HTTP/1.1\r\n");
        h.append("Host: ").append(url.getHost()).append(url.getPort() == -1 ? "" : ":" + url.getPort()).append("\r\n");
        headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        h.append("Content-Length: ");
        this.head = h.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends one POST and reads the whole response; returns its status. Reconnects when the last one was closed. */
    int post(byte[] body) throws IOException {
        if (socket == null) {
            connect();
        }
        byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + length.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(length, 0, request, head.length, length.length);
        System.arraycopy(body, 0, request, head.length + length.length, body.length);
        try {
            out.write(request);
            out.flush();
            return readResponse();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** The body of the last response (for error reports). */
    String lastBody() {
        return lastBody;
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMs);
        socket.connect(new InetSocketAddress(host, port), timeoutMs);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    private int readResponse() throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.1 ") && !status.startsWith("HTTP/1.0 ")) {
            throw new IOException("not an HTTP response: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long contentLength = -1;
        boolean chunked = false;
        boolean close = status.startsWith("HTTP/1.0 ");
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> close = value.contains("close") || (close && !value.contains("keep-alive"));
                default -> {
                }
            }
        }
        var body = new ByteArrayOutputStream();
        if (chunked) {
            for (long size = Long.parseLong(line().split(";", 2)[0].trim(), 16); size > 0;
                 size = Long.parseLong(line().split(";", 2)[0].trim(), 16)) {
                copy(size, body);
                line(); // CRLF after the chunk
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else if (contentLength >= 0) {
            copy(contentLength, body);
        } else if (code >= 200 && code != 204 && code != 304) {
            in.transferTo(body); // delimited by the end of the connection
            close = true;
        }
        lastBody = body.toString(StandardCharsets.UTF_8);
        if (close) {
            close();
        }
        return code;
    }

    private void copy(long n, ByteArrayOutputStream to) throws IOException {
        byte[] buffer = new byte[(int) Math.min(n, 8192)];
        while (n > 0) {
            int read = in.read(buffer, 0, (int) Math.min(n, buffer.length));
            if (read < 0) {
                throw new IOException("connection closed in the middle of a response");
            }
            to.write(buffer, 0, read);
            n -= read;
        }
    }

    private String line() throws IOException {
        var line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed by the server");
            }
            if (c != '\r') {
                line.append((char) c);
            }
            if (line.length() > 16 * 1024) {
                throw new IOException("response line too long");
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        socket = null;
    }
}
