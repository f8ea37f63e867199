package io.refreshorchestrator.localmode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The data directory of local mode: {@code kafka/} holds the embedded broker (its log dirs and
 * KRaft metadata, kept across restarts), {@code instance.json} says how to reach the process that
 * runs there, and a lock on {@code lock} keeps a second process out.
 */
public final class DataDirectory {

    /** The default: {@value #DEFAULT_NAME} in the working directory. */
    public static final String DEFAULT_NAME = ".refresh-orchestrator";

    private final Path path;

    private DataDirectory(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    /** The data directory at {@code path} (not created yet). */
    public static DataDirectory at(Path path) {
        return new DataDirectory(path);
    }

    /** {@link #DEFAULT_NAME} in the working directory. */
    public static DataDirectory defaultDirectory() {
        return at(Path.of(DEFAULT_NAME));
    }

    public Path path() {
        return path;
    }

    /** Where the embedded broker keeps its data and configuration. */
    public Path kafka() {
        return path.resolve("kafka");
    }

    /** The instance file of the process running here, present only while it runs. */
    public Path instanceFile() {
        return path.resolve("instance.json");
    }

    /**
     * Creates the directory when missing and locks it for this process until the lock is closed.
     *
     * @throws DataDirectoryInUseException when another process holds it
     */
    public Lock lock() {
        try {
            Files.createDirectories(path);
            var channel =
                    FileChannel.open(
                            path.resolve("lock"),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new DataDirectoryInUseException(
                        "data directory "
                                + path
                                + " is in use by another orchestrator"
                                + InstanceFile.read(instanceFile())
                                        .map(i -> " (pid " + i.pid() + ")")
                                        .orElse("")
                                + ": stop it first, or give this one its own --data-dir");
            }
            return new Lock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock the data directory " + path, e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }

    /** Holds the directory for this process; closing releases it. */
    public static final class Lock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private Lock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    /** Another live process holds the data directory. */
    public static final class DataDirectoryInUseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DataDirectoryInUseException(String message) {
            super(message);
        }
    }
}
