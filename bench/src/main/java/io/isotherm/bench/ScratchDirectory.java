package io.isotherm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory for a bench's embedded PostgreSQL, deleted with all it holds when closed: one run of the
 * aggregation bench leaves 1.7 GB behind, one of the range bench 3 GB, and a few sittings filled the disk.
 */
final class ScratchDirectory implements AutoCloseable {
    final Path path;

    ScratchDirectory(String prefix) throws IOException {
        path = Files.createTempDirectory(prefix);
    }

    @Override
    public void close() throws IOException {
        delete(path);
    }

    /** Deletes the directory and everything below it; what is already gone is skipped. */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
