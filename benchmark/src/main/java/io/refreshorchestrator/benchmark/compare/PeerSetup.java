package io.refreshorchestrator.benchmark.compare;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Installs the peers compare runs against, and says so: pg_cron from Debian's {@code
 * postgresql-15-cron}, and pg_ivm built from its source archive in a temporary directory (with
 * {@code postgresql-server-dev-15 make gcc} from Debian when missing) and installed into the
 * PostgreSQL installation. Nothing of it is part of the project's build. A peer that cannot be
 * installed yields the reason, and its strategy is reported as skipped.
 */
final class PeerSetup {

    private final Path pgBin;
    private final boolean install;
    private final PrintWriter out;

    PeerSetup(Path pgBin, boolean install, PrintWriter out) {
        this.pgBin = pgBin;
        this.install = install;
        this.out = out;
    }

    /** Empty when pg_cron is installed (or was just installed); the reason otherwise. */
    Optional<String> pgCron() {
        try {
            if (Files.exists(pkgLibDir().resolve("pg_cron.so"))) {
                return Optional.empty();
            }
            if (!install) {
                return Optional.of("pg_cron is not installed and --no-install-peers was given");
            }
            out.println("setup: installing Debian package postgresql-15-cron (pg_cron)");
            out.flush();
            run(List.of("apt-get", "install", "-y", "-q", "postgresql-15-cron"), null);
            return Files.exists(pkgLibDir().resolve("pg_cron.so"))
                    ? Optional.empty()
                    : Optional.of("postgresql-15-cron installed no pg_cron.so in " + pkgLibDir());
        } catch (IOException | RuntimeException e) {
            return Optional.of("pg_cron could not be installed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while installing pg_cron");
        }
    }

    /**
     * Empty when pg_ivm 1.15 is installed (or was just built and installed); the reason otherwise.
     */
    Optional<String> pgIvm(Path archive) {
        try {
            Path control = shareDir().resolve("extension").resolve("pg_ivm.control");
            if (installedIvm115(control) && Files.exists(pkgLibDir().resolve("pg_ivm.so"))) {
                return Optional.empty();
            }
            if (!install) {
                return Optional.of("pg_ivm is not installed and --no-install-peers was given");
            }
            if (!Files.isRegularFile(archive)) {
                return Optional.of("pg_ivm source archive not found: " + archive);
            }
            if (!Files.exists(pgBin.resolve("pg_config")) || !onPath("make") || !onPath("gcc")) {
                out.println(
                        "setup: installing Debian packages postgresql-server-dev-15 make gcc"
                                + " (to build pg_ivm)");
                out.flush();
                run(
                        List.of(
                                "apt-get",
                                "install",
                                "-y",
                                "-q",
                                "postgresql-server-dev-15",
                                "make",
                                "gcc"),
                        null);
            }
            Path build = Files.createTempDirectory("pg-ivm-build-");
            try {
                out.println("setup: building pg_ivm from " + archive + " in " + build);
                out.flush();
                run(List.of("tar", "xzf", archive.toAbsolutePath().toString()), build);
                Path source = build.resolve("pg_ivm-1.15");
                String pgConfig = "PG_CONFIG=" + pgBin.resolve("pg_config");
                run(List.of("make", "USE_PGXS=1", pgConfig), source);
                run(List.of("make", "USE_PGXS=1", pgConfig, "install"), source);
            } finally {
                deleteRecursively(build);
            }
            return installedIvm115(control)
                    ? Optional.empty()
                    : Optional.of("pg_ivm built but not installed in " + shareDir());
        } catch (IOException | RuntimeException e) {
            return Optional.of("pg_ivm could not be built: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while building pg_ivm");
        }
    }

    /** pg_ivm's control file names 1.15 as its default version (1.15 installs through 1.10). */
    private static boolean installedIvm115(Path control) throws IOException {
        return Files.exists(control)
                && Files.readString(control).contains("default_version = '1.15'");
    }

    private Path pkgLibDir() throws IOException, InterruptedException {
        return Path.of(pgConfig("--pkglibdir"));
    }

    private Path shareDir() throws IOException, InterruptedException {
        return Path.of(pgConfig("--sharedir"));
    }

    private String pgConfig(String option) throws IOException, InterruptedException {
        Path pgConfig = pgBin.resolve("pg_config");
        if (!Files.exists(pgConfig)) {
            // the server packages ship pg_config only with the -dev package; the paths are fixed
            return option.equals("--pkglibdir")
                    ? pgBin.getParent().resolve("lib").toString()
                    : "/usr/share/postgresql/" + pgBin.getParent().getFileName();
        }
        return run(List.of(pgConfig.toString(), option), null).strip();
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command, returns its output; fails with the output's tail when it fails. */
    private static String run(List<String> command, Path directory)
            throws IOException, InterruptedException {
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            String text = new String(output, StandardCharsets.UTF_8);
            throw new IOException(
                    String.join(" ", command)
                            + " failed: "
                            + text.substring(Math.max(0, text.length() - 600)));
        }
        return new String(output, StandardCharsets.UTF_8);
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            var all = new ArrayList<Path>(paths.toList());
            java.util.Collections.reverse(all);
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        }
    }
}
