package io.refreshorchestrator.local;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server in a temporary directory, started from the local binaries on a free
 * loopback port with logical decoding enabled; {@link #close()} stops it and deletes everything.
 *
 * <p>Authentication is {@code trust}: connect as {@link #user()} with any password. Tests sharing
 * one server isolate themselves with {@link #createDatabase(String)}. The server is also stopped
 * and deleted when the JVM exits, or when it dies without running shutdown hooks.
 */
public final class PostgresServer implements AutoCloseable {

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

    private PostgresServer(PostgresBinaries binaries, PostgresOptions options) {
        this.options = options;
        this.directory = Directories.createTemp("refresh-pg-");
        this.cluster = new PostgresCluster(binaries, directory);
        this.watchdog = ParentExitWatchdog.start(cluster.stopCommand("immediate"), directory);
        this.shutdownHook = ShutdownHook.register("postgres-cleanup-" + directory, this::close);
    }

    /** Initializes and starts a server with {@link PostgresOptions#defaults()}. */
    public static PostgresServer start() {
        return start(PostgresOptions.defaults());
    }

    /** Initializes and starts a server; fails with the tail of the server log. */
    public static PostgresServer start(PostgresOptions options) {
        return start(PostgresBinaries.locate(), options);
    }

    /**
     * Like {@link #start(PostgresOptions)} with the programs in {@code binDirectory} (which holds
     * {@code initdb}, {@code pg_ctl} and {@code postgres}) instead of the installed ones.
     */
    public static PostgresServer start(PostgresOptions options, Path binDirectory) {
        return start(PostgresBinaries.at(binDirectory), options);
    }

    /**
     * The directory of the installed server programs that {@link #start(PostgresOptions)} uses
     * ({@code PG_BIN}, Debian's layout, the {@code PATH}), empty when there are none.
     */
    public static Optional<Path> installedBinaries() {
        return PostgresBinaries.findInstalled();
    }

    /** True when this JVM runs as root, so the server runs as the {@code postgres} user. */
    public static boolean runsAsServerUser() {
        return PostgresBinaries.isRoot();
    }

    private static PostgresServer start(PostgresBinaries binaries, PostgresOptions options) {
        long startedAt = System.nanoTime();
        var server = new PostgresServer(binaries, options);
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

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** The superuser, {@code postgres}. */
    public String user() {
        return PostgresBinaries.SERVER_USER;
    }

    /** The JDBC URL of the {@code postgres} database. */
    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
    }

    /** A new connection to the {@code postgres} database as the superuser; the caller closes it. */
    public Connection connect() throws SQLException {
        return connect("postgres");
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user(), "");
    }

    /**
     * Creates a database with a unique name starting with {@code prefix} (sanitized to lower-case
     * letters, digits and underscores) and returns the name.
     */
    public String createDatabase(String prefix) {
        String name = DatabaseNames.unique(prefix);
        try (Connection connection = connect();
                var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
            return name;
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Cannot create database " + name + " on " + jdbcUrl(), e);
        }
    }

    /**
     * Leaves stopping the server at JVM exit to the caller, who closes it from its own shutdown
     * hook after the server's clients: otherwise the server's hook may stop it while they still
     * work. The watchdog still cleans up after a JVM that dies without hooks.
     */
    public void handOverShutdown() {
        shutdownHook.cancel();
    }

    /** Stops the server in fast mode (sessions are disconnected, data kept); no-op when stopped. */
    public synchronized void stop() {
        cluster.stop("fast");
    }

    /** Starts the server again on the same port and data, stopping it first if it runs. */
    public synchronized void restart() {
        if (closed.get()) {
            throw new IllegalStateException("PostgreSQL server in " + directory + " is closed");
        }
        cluster.stop("fast");
        cluster.start(port, options);
    }

    /** True when the postmaster process of this server runs. */
    public boolean isRunning() {
        return cluster.isRunning();
    }

    /** The temporary directory holding the data directory and {@link #logFile()}. */
    public Path directory() {
        return directory;
    }

    /** The server log. */
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
    Optional<Long> postmasterPid() {
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
