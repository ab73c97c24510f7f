package io.isotherm.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * Who owns an embedded PostgreSQL: the process holding an OS lock on {@code <dataDir>/postgres.owner} (which also
 * names its PID, for people). The operating system releases the lock when its process ends, {@code kill -9}
 * included, so a database that runs while nobody holds the lock was left behind by a process that is gone.
 *
 * <p>A JVM must not open the file again while it holds the lock: closing any channel to the file would release
 * it (POSIX locks belong to the process). {@link EmbeddedDatabase} keeps track of what this JVM owns for that.
 */
final class OwnerLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private OwnerLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or empty when a live process holds it. */
    static Optional<OwnerLock> tryTake(Path dataDir) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(dataDir.resolve("postgres.owner"), CREATE, WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            return Optional.of(new OwnerLock(channel, lock));
        } catch (OverlappingFileLockException e) {
            return Optional.empty(); // this JVM holds it
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the open failed already
                }
            }
            throw new UncheckedIOException("cannot lock " + dataDir.resolve("postgres.owner"), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
