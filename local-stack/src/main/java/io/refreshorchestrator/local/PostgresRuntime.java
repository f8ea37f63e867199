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

    @Override
    void close();
}
