package io.isotherm.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Many hostile clients on one thread: each opens a connection, sends the headers of a POST with a
 * {@code Content-Length}, then its body one byte per tick, as a slow-body attack does. A client that is answered or
 * cut off opens a new connection at once, so the server faces the same number of slow connections until
 * {@link #close}. Each connection leaves from one of the given source addresses (on Linux every 127.x.y.z is this
 * machine), so a per-address connection limit sees several clients.
 */
public final class SlowClients implements AutoCloseable {
    private final InetSocketAddress server;
    private final List<InetAddress> sources;
    private final int perSource;
    private final byte[] head;
    private final Duration tick;
    private final Thread thread;
    private final Selector selector;
    private volatile boolean running = true;

    private final Map<Integer, LongAdder> answered = new ConcurrentHashMap<>();
    private final LongAdder cutOff = new LongAdder();
    private final LongAdder opened = new LongAdder();
    private final AtomicInteger open = new AtomicInteger();
    private volatile IOException failure;

    /** What happened to the slow connections so far. */
    public record Tally(long opened, int open, Map<Integer, Long> answeredByStatus, long closedWithoutAnswer) {
        public long answered() {
            return answeredByStatus.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private SlowClients(InetSocketAddress server, List<InetAddress> sources, int perSource, String path, int contentLength,
                        Duration tick) throws IOException {
        this.server = server;
        this.sources = List.copyOf(sources);
        this.perSource = perSource;
        this.tick = tick;
        this.head = ("POST " + path + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort() + "\r\n"
                + "User-Agent: " + Chromium.USER_AGENT + "\r\nContent-Type: text/plain\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "slow-clients");
        this.thread.setDaemon(true);
    }

    /**
     * Starts {@code perSource} slow connections from each source address to {@code server}, each sending one byte
     * of a {@code contentLength}-byte body per {@code tick}.
     */
    public static SlowClients start(InetSocketAddress server, List<InetAddress> sources, int perSource, String path,
                                    int contentLength, Duration tick) throws IOException {
        SlowClients clients = new SlowClients(server, sources, perSource, path, contentLength, tick);
        clients.thread.start();
        return clients;
    }

    /** 127.0.0.2, 127.0.0.3 …: {@code count} loopback addresses other than the one most clients use. */
    public static List<InetAddress> loopbackAddresses(int count) throws IOException {
        List<InetAddress> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add(InetAddress.getByAddress(new byte[]{127, 0, (byte) (i / 250), (byte) (2 + i % 250)}));
        }
        return addresses;
    }

    public Tally tally() {
        Map<Integer, Long> statuses = new java.util.TreeMap<>();
        answered.forEach((status, count) -> statuses.put(status, count.sum()));
        return new Tally(opened.sum(), open.get(), statuses, cutOff.sum());
    }

    /** Stops the clients and closes their connections. */
    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) throw failure;
    }

    /** One slow connection: what it has sent and received. */
    private final class Client {
        final InetAddress source;
        final ByteBuffer headBuffer = ByteBuffer.wrap(head);
        final StringBuilder received = new StringBuilder();

        Client(InetAddress source) {
            this.source = source;
        }
    }

    private void loop() {
        try {
            for (InetAddress source : sources) {
                for (int i = 0; i < perSource; i++) connect(new Client(source));
            }
            long nextTick = System.nanoTime() + tick.toNanos();
            while (running) {
                selector.select(Math.max(1, (nextTick - System.nanoTime()) / 1_000_000));
                for (SelectionKey key : selector.selectedKeys()) handle(key);
                selector.selectedKeys().clear();
                if (System.nanoTime() >= nextTick) {
                    for (SelectionKey key : List.copyOf(selector.keys())) sendOneByte(key);
                    nextTick += tick.toNanos();
                }
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            for (SelectionKey key : selector.keys()) closeQuietly(key);
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private void connect(Client client) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.bind(new InetSocketAddress(client.source, 0));
        opened.increment();
        open.incrementAndGet();
        if (channel.connect(server)) {
            channel.register(selector, SelectionKey.OP_READ | SelectionKey.OP_WRITE, client);
        } else {
            channel.register(selector, SelectionKey.OP_CONNECT, client);
        }
    }

    private void handle(SelectionKey key) throws IOException {
        Client client = (Client) key.attachment();
        SocketChannel channel = (SocketChannel) key.channel();
        try {
            if (key.isValid() && key.isConnectable()) {
                channel.finishConnect();
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
            if (key.isValid() && key.isWritable()) {
                channel.write(client.headBuffer);
                if (!client.headBuffer.hasRemaining()) key.interestOps(SelectionKey.OP_READ);
            }
            if (key.isValid() && key.isReadable()) {
                ByteBuffer buffer = ByteBuffer.allocate(4096);
                int n = channel.read(buffer);
                if (n > 0) client.received.append(new String(buffer.array(), 0, n, StandardCharsets.ISO_8859_1));
                Integer status = status(client.received);
                if (status != null) {
                    answered.computeIfAbsent(status, s -> new LongAdder()).increment();
                    reopen(key, client);
                } else if (n < 0) {
                    cutOff.increment();
                    reopen(key, client);
                }
            }
        } catch (IOException e) { // reset by the server: cut off
            if (status(client.received) == null) cutOff.increment();
            reopen(key, client);
        }
    }

    private void sendOneByte(SelectionKey key) throws IOException {
        Client client = (Client) key.attachment();
        if (!key.isValid() || client.headBuffer.hasRemaining()) return;
        try {
            ((SocketChannel) key.channel()).write(ByteBuffer.wrap(new byte[]{' '}));
        } catch (IOException e) {
            cutOff.increment();
            reopen(key, client);
        }
    }

    private void reopen(SelectionKey key, Client client) throws IOException {
        closeQuietly(key);
        if (running) connect(new Client(client.source));
    }

    private void closeQuietly(SelectionKey key) {
        key.cancel();
        try {
            if (key.channel().isOpen()) {
                key.channel().close();
                open.decrementAndGet();
            }
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** The status of a response once its status line has arrived. */
    private static Integer status(CharSequence received) {
        String text = received.toString();
        int end = text.indexOf("\r\n");
        if (end < 0 || !text.startsWith("HTTP/1.1 ")) return null;
        return Integer.parseInt(text.substring(9, 12));
    }
}
