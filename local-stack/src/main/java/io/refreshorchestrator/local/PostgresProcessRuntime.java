package io.refreshorchestrator.local;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local backend of {@link PostgresServer}: a real PostgreSQL server in a temporary directory,
 * started from the local binaries on a free loopback port with logical decoding enabled; {@link
 * #close()} stops it and deletes everything. It is also stopped and deleted when the JVM exits, or
 * when it dies without running shutdown hooks.
 */
final class PostgresProcessRuntime implements PostgresRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static final String HOST = "127.0.0.1";
    private static final int PORT_ATTEMPTS = 3;

    private final PostgresOptions options;
    private final Path directory;
    private final PostgresCluster cluster;
    private final ParentExitWatchdog watchdog;
    private final ShutdownHook shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile int port;

    private PostgresProcessRuntime(PostgresBinaries binaries, PostgresOptions options) {
        this.options = options;
        this.directory = Directories.createTemp("refresh-pg-");
        this.cluster = new PostgresCluster(binaries, directory);
        this.watchdog = ParentExitWatchdog.start(cluster.stopCommand("immediate"), directory);
        this.shutdownHook = ShutdownHook.register("postgres-cleanup-" + directory, this::close);
    }

    /** Initializes and starts a server; fails with the tail of the server log. */
    static PostgresProcessRuntime start(PostgresOptions options) {
        long startedAt = System.nanoTime();
        var server = new PostgresProcessRuntime(PostgresBinaries.locate(), options);
        try {
            server.cluster.initialize(options.durable(), Poll.scaled(options.startTimeout()));
            server.startOnFreePort();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        LOG.info(
                "PostgreSQL ready at {} in {} ms (data in {})",
                server.jdbcUrl(),
                (System.nanoTime() - startedAt) / 1_000_000,
                server.directory);
        return server;
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    private String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + port + "/postgres";
    }

    /** Stops the server in fast mode (sessions are disconnected, data kept); no-op when stopped. */
    @Override
    public synchronized void stop() {
        cluster.stop("fast");
    }

    /** Starts the server again on the same port and data, stopping it first if it runs. */
    @Override
    public synchronized void restart() {
        if (closed.get()) {
            throw new IllegalStateException("PostgreSQL server in " + directory + " is closed");
        }
        cluster.stop("fast");
        cluster.start(port, options);
    }

    /** True when the postmaster process of this server runs. */
    @Override
    public boolean isRunning() {
        return cluster.isRunning();
    }

    /** The temporary directory holding the data directory and {@link #logFile()}. */
    @Override
    public Path directory() {
        return directory;
    }

    /** The server log. */
    @Override
    public Path logFile() {
        return cluster.logFile();
    }

    /** Stops the server in immediate mode and deletes its directory; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        shutdownHook.cancel();
        try {
            cluster.stop("immediate");
        } finally {
            Directories.deleteRecursively(directory);
            watchdog.disarm();
        }
        LOG.info("PostgreSQL at {} stopped, {} deleted", jdbcUrl(), directory);
    }

    /** The postmaster's process id, while it runs. */
    @Override
    public Optional<Long> postmasterPid() {
        return cluster.postmasterPid();
    }

    private void startOnFreePort() {
        for (int attempt = 1; ; attempt++) {
            port = FreePorts.pick();
            long logOffset = LogTail.size(cluster.logFile());
            try {
                cluster.start(port, options);
                return;
            } catch (IllegalStateException e) {
                String log = LogTail.since(cluster.logFile(), logOffset);
                if (!log.contains("Address already in use") || attempt == PORT_ATTEMPTS) {
                    throw e;
                }
                LOG.info("Port {} was taken before PostgreSQL bound it, retrying", port);
            }
        }
    }
}
