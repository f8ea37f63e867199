package io.refreshorchestrator.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the PostgreSQL server programs and builds the command lines that run them, through {@code
 * runuser -u postgres} when this JVM runs as root (the server refuses to run as root).
 *
 * <p>Search order: the directory in the environment variable {@code PG_BIN}; the highest version in
 * Debian's layout {@code /usr/lib/postgresql/VERSION/bin}; the {@code PATH}.
 */
final class PostgresBinaries {

    static final String SERVER_USER = "postgres";
    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

    private final Path binDirectory;
    private final boolean asServerUser;

    PostgresBinaries(Path binDirectory, boolean asServerUser) {
        this.binDirectory = binDirectory;
        this.asServerUser = asServerUser;
    }

    /** The programs in {@code binDirectory}, run as this machine and this process's user needs. */
    static PostgresBinaries at(Path binDirectory) {
        if (!hasServerPrograms(binDirectory)) {
            throw new IllegalStateException(
                    binDirectory + " does not contain executable initdb and pg_ctl");
        }
        return new PostgresBinaries(binDirectory, isRoot());
    }

    /** The directory {@link #locate()} would use, empty when no installation is found. */
    static Optional<Path> findInstalled() {
        try {
            return Optional.of(
                    findBinDirectory(System.getenv("PG_BIN"), DEBIAN_ROOT, System.getenv("PATH")));
        } catch (IllegalStateException notFound) {
            return Optional.empty();
        }
    }

    /** Locates the programs for this machine and this process's user. */
    static PostgresBinaries locate() {
        return new PostgresBinaries(
                findBinDirectory(System.getenv("PG_BIN"), DEBIAN_ROOT, System.getenv("PATH")),
                isRoot());
    }

    static Path findBinDirectory(String pgBin, Path debianRoot, String path) {
        if (pgBin != null && !pgBin.isBlank()) {
            Path explicit = Path.of(pgBin);
            if (!hasServerPrograms(explicit)) {
                throw new IllegalStateException(
                        "PG_BIN=" + pgBin + " does not contain executable initdb and pg_ctl");
            }
            return explicit;
        }
        return highestDebianVersion(debianRoot)
                .or(() -> onPath(path))
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "PostgreSQL server programs (initdb, pg_ctl) not found in"
                                                + " PG_BIN, "
                                                + debianRoot
                                                + "/*/bin or PATH. Install them, e.g. `apt-get"
                                                + " install postgresql`, or set PG_BIN to their"
                                                + " directory."));
    }

    /** The command line that runs {@code program} from the located directory. */
    List<String> command(String program, String... arguments) {
        List<String> command = new ArrayList<>();
        if (asServerUser) {
            command.addAll(List.of("runuser", "-u", SERVER_USER, "--"));
        }
        command.add(binDirectory.resolve(program).toString());
        command.addAll(List.of(arguments));
        return command;
    }

    Path binDirectory() {
        return binDirectory;
    }

    /** True when the files the server writes must belong to the {@code postgres} user. */
    boolean runsAsServerUser() {
        return asServerUser;
    }

    private static Optional<Path> highestDebianVersion(Path debianRoot) {
        if (!Files.isDirectory(debianRoot)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(debianRoot)) {
            return versions.filter(dir -> dir.getFileName().toString().matches("\\d+(\\.\\d+)*"))
                    .map(dir -> dir.resolve("bin"))
                    .filter(PostgresBinaries::hasServerPrograms)
                    .max(
                            Comparator.comparing(
                                    bin -> bin.getParent().getFileName().toString(),
                                    PostgresBinaries::compareVersions));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + debianRoot, e);
        }
    }

    private static Optional<Path> onPath(String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isBlank() && hasServerPrograms(Path.of(entry))) {
                try {
                    // Follow symlinks such as /usr/local/bin/pg_ctl to the real installation.
                    return Optional.of(Path.of(entry, "pg_ctl").toRealPath().getParent());
                } catch (IOException e) {
                    return Optional.of(Path.of(entry));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean hasServerPrograms(Path directory) {
        return Files.isExecutable(directory.resolve("initdb"))
                && Files.isExecutable(directory.resolve("pg_ctl"));
    }

    static int compareVersions(String left, String right) {
        String[] leftParts = left.split("\\.");
        String[] rightParts = right.split("\\.");
        for (int i = 0; i < Math.max(leftParts.length, rightParts.length); i++) {
            int l = i < leftParts.length ? Integer.parseInt(leftParts[i]) : 0;
            int r = i < rightParts.length ? Integer.parseInt(rightParts[i]) : 0;
            if (l != r) {
                return Integer.compare(l, r);
            }
        }
        return 0;
    }

    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
