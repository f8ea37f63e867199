package io.refreshorchestrator.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One PostgreSQL data directory and the programs that act on it: {@code initdb}, {@code pg_ctl
 * start} and {@code pg_ctl stop}. Their output goes to {@code commands.log}, the server's to {@link
 * #logFile()}, both next to the data directory.
 */
final class PostgresCluster {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final PostgresBinaries binaries;
    private final Path directory;
    private final Path dataDirectory;
    private final Path logFile;
    private final Path commandLog;

    PostgresCluster(PostgresBinaries binaries, Path directory) {
        this.binaries = binaries;
        this.directory = directory;
        this.dataDirectory = directory.resolve("data");
        this.logFile = directory.resolve("postgresql.log");
        this.commandLog = directory.resolve("commands.log");
    }

    /** Creates the data directory: trust authentication, superuser postgres, UTF8, locale C. */
    void initialize(boolean sync, Duration timeout) {
        if (binaries.runsAsServerUser()) {
            Directories.giveTo(directory, PostgresBinaries.SERVER_USER);
        }
        var initdb =
                binaries.command(
                        "initdb",
                        "-D",
                        dataDirectory.toString(),
                        "-A",
                        "trust",
                        "-U",
                        PostgresBinaries.SERVER_USER,
                        "-E",
                        "UTF8",
                        "--locale=C");
        if (!sync) {
            initdb.add("--no-sync");
        }
        OsCommand.run(initdb, commandLog, timeout);
    }

    /** Starts the server and waits until it accepts connections; fails with the server log. */
    void start(int port, PostgresOptions options) {
        long seconds = Poll.scaled(options.startTimeout()).toSeconds();
        var pgCtl =
                binaries.command(
                        "pg_ctl",
                        "-D",
                        dataDirectory.toString(),
                        "-l",
                        logFile.toString(),
                        "-w",
                        "-t",
                        Long.toString(seconds),
                        "-o",
                        options.serverArguments(port, directory),
                        "start");
        try {
            OsCommand.run(pgCtl, commandLog, Duration.ofSeconds(seconds + 10));
        } catch (IllegalStateException e) {
            throw new IllegalStateException(
                    "PostgreSQL did not start on port "
                            + port
                            + ": "
                            + e.getMessage()
                            + "\n"
                            + LogTail.of(logFile, 30),
                    e);
        }
    }

    /**
     * Stops the server in {@code mode} ({@code fast}, {@code immediate}) and waits until the
     * postmaster has exited; does nothing when it is not running.
     */
    void stop(String mode) {
        Optional<Long> pid = postmasterPid();
        if (pid.map(ProcessLiveness::isRunning).orElse(false)) {
            OsCommand.run(stopCommand(mode), commandLog, Poll.scaled(STOP_TIMEOUT));
            // pg_ctl returns once the pid file is gone, a moment before the postmaster exits.
            Poll.until(
                    "the postmaster (pid " + pid.get() + ") to exit",
                    STOP_TIMEOUT,
                    () -> !ProcessLiveness.isRunning(pid.get()),
                    () -> LogTail.of(logFile, 20));
        }
    }

    boolean isRunning() {
        return postmasterPid().map(ProcessLiveness::isRunning).orElse(false);
    }

    /** The postmaster's process id, while its pid file exists. */
    Optional<Long> postmasterPid() {
        try {
            List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
            return lines.isEmpty()
                    ? Optional.empty()
                    : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The command that stops the server, for a watchdog to run after this JVM is gone. */
    List<String> stopCommand(String mode) {
        return binaries.command("pg_ctl", "-D", dataDirectory.toString(), "-m", mode, "-w", "stop");
    }

    Path logFile() {
        return logFile;
    }
}
