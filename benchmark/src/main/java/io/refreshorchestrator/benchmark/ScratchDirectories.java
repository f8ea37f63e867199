package io.refreshorchestrator.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary directories of a benchmark run (Kafka Streams state), deleted when the benchmark's JVM
 * exits, so repeated runs leave nothing behind in the temporary directory.
 */
final class ScratchDirectories {

    private ScratchDirectories() {}

    static Path create(String prefix) {
        try {
            Path directory = Files.createTempDirectory(prefix);
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(() -> deleteQuietly(directory), "delete-" + prefix));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory", e);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Could not delete " + directory + ": " + e.getMessage());
        }
    }
}
