package io.refreshorchestrator.local;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A real PostgreSQL server with logical decoding enabled. {@link #start()} runs it from the local
 * binaries in a temporary directory on a free loopback port; under {@code -Dstack=containers} a
 * {@link LocalStack} runs it in a container instead, where {@link #stop()} and {@link #restart()}
 * are not supported and say so. {@link #close()} stops it and deletes everything.
 *
 * <p>Authentication is {@code trust}: connect as {@link #user()} with any password. Tests sharing
 * one server isolate themselves with {@link #createDatabase(String)}. The server is also stopped
 * and deleted when the JVM exits, or when it dies without running shutdown hooks.
 */
public final class PostgresServer implements AutoCloseable {

    private final PostgresRuntime runtime;

    private PostgresServer(PostgresRuntime runtime) {
        this.runtime = runtime;
    }

    /** Initializes and starts a server with {@link PostgresOptions#defaults()}. */
    public static PostgresServer start() {
        return start(PostgresOptions.defaults());
    }

    /**
     * Initializes and starts a server from the local binaries; fails with the server log's tail.
     */
    public static PostgresServer start(PostgresOptions options) {
        return new PostgresServer(PostgresProcessRuntime.start(options));
    }

    /** A server run by {@code runtime}, e.g. a container. */
    static PostgresServer of(PostgresRuntime runtime) {
        return new PostgresServer(runtime);
    }

    public String host() {
        return runtime.host();
    }

    public int port() {
        return runtime.port();
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
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
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

    /** Stops the server in fast mode (sessions are disconnected, data kept); no-op when stopped. */
    public void stop() {
        runtime.stop();
    }

    /** Starts the server again on the same port and data, stopping it first if it runs. */
    public void restart() {
        runtime.restart();
    }

    /** True when the postmaster process of this server runs. */
    public boolean isRunning() {
        return runtime.isRunning();
    }

    /** The temporary directory holding the data directory and {@link #logFile()}. */
    public Path directory() {
        return runtime.directory();
    }

    /** The server log. */
    public Path logFile() {
        return runtime.logFile();
    }

    /** Stops the server in immediate mode and deletes its directory; idempotent. */
    @Override
    public void close() {
        runtime.close();
    }

    /** The postmaster's process id, while it runs. */
    Optional<Long> postmasterPid() {
        return runtime.postmasterPid();
    }
}
