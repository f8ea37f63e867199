package io.refreshorchestrator.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The containers backend of {@link PostgresServer}: {@value #IMAGE} through Testcontainers with the
 * local server's settings ({@code wal_level=logical}, slots and WAL senders, the options' extra
 * settings), superuser {@code postgres} and {@code trust} authentication like the local server. Its
 * output goes to {@link #logFile()}. Stopping or restarting it is not supported: a restarted
 * container gets a new port.
 */
final class PostgresContainerRuntime implements PostgresRuntime {

    static final String IMAGE = "postgres:15";

    private final PostgreSQLContainer<?> container;
    private final Path directory;
    private final ContainerLog log;
    private final ShutdownHook shutdownHook;

    PostgresContainerRuntime(PostgreSQLContainer<?> container, Path directory) {
        this.container = container;
        this.directory = directory;
        this.log = new ContainerLog(directory.resolve("postgres.log"));
        this.shutdownHook = ShutdownHook.register("postgres-container-" + directory, this::close);
    }

    /** Starts the container; returns once it accepts connections. */
    static PostgresContainerRuntime start(PostgresOptions options) {
        var runtime =
                new PostgresContainerRuntime(
                        configure(new PostgreSQLContainer<>(IMAGE), options),
                        Directories.createTemp("refresh-pg-container-"));
        try {
            runtime.container.withLogConsumer(runtime.log).start();
        } catch (RuntimeException e) {
            runtime.close();
            throw new IllegalStateException(
                    "The PostgreSQL container (" + IMAGE + ") did not start: " + e.getMessage(), e);
        }
        return runtime;
    }

    static PostgreSQLContainer<?> configure(
            PostgreSQLContainer<?> container, PostgresOptions options) {
        return container
                .withUsername(PostgresBinaries.SERVER_USER)
                .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
                .withCommand(serverCommand(options))
                .withStartupTimeout(options.startTimeout());
    }

    /**
     * {@code postgres -c name=value ...} with the local server's settings, listening on every
     * interface of the container (the port is published on the host by Docker).
     */
    static String[] serverCommand(PostgresOptions options) {
        var command = new ArrayList<String>();
        command.add("postgres");
        options.serverSettings()
                .forEach(
                        (name, value) -> {
                            command.add("-c");
                            command.add(
                                    name + "=" + (name.equals("listen_addresses") ? "*" : value));
                        });
        return command.toArray(String[]::new);
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
    }

    @Override
    public void stop() {
        throw UnsupportedByContainers.of("Stopping PostgreSQL");
    }

    @Override
    public void restart() {
        throw UnsupportedByContainers.of("Restarting PostgreSQL");
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public Path logFile() {
        return log.file();
    }

    @Override
    public Optional<Long> postmasterPid() {
        throw UnsupportedByContainers.of("The postmaster's process id");
    }

    @Override
    public void close() {
        shutdownHook.cancel();
        try {
            container.stop();
        } finally {
            Directories.deleteRecursively(directory);
        }
    }
}
