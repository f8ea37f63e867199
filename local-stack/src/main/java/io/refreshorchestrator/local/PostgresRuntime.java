package io.refreshorchestrator.local;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What runs a {@link PostgresServer}: the local binaries ({@link PostgresProcessRuntime}) or a
 * container ({@link PostgresContainerRuntime}). An operation a runtime cannot do fails with {@link
 * UnsupportedOperationException} naming the backend, never silently.
 */
interface PostgresRuntime extends AutoCloseable {

    String host();

    int port();

    void stop();

    void restart();

    boolean isRunning();

    Path directory();

    Path logFile();

    Optional<Long> postmasterPid();

    /**
     * Leaves stopping the server at JVM exit to the owner's own shutdown hook (see {@link
     * PostgresServer#handOverShutdown()}); a runtime without a hook of its own has nothing to do.
     */
    default void handOverShutdown() {}

    @Override
    void close();
}
