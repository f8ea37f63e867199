package io.refreshorchestrator.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cleans up after a daemonized service when this JVM dies without doing it (kill -9, crash): a
 * {@code sh} process blocks reading its stdin, which only this JVM holds open, and at end of file
 * runs a stop command and deletes a directory.
 *
 * <p>JVM shutdown hooks cover normal exits; this covers the exits where no hook runs. It ignores
 * SIGINT/SIGHUP/SIGTERM so that a Ctrl-C on the build, which reaches the whole process group,
 * cannot kill it before the JVM is gone.
 */
final class ParentExitWatchdog {

    private static final String SCRIPT =
            "trap '' INT HUP TERM; dir=$1; shift;"
                    + " while read -r line; do :; done;"
                    + " \"$@\" >/dev/null 2>&1; rm -rf -- \"$dir\"";

    private final Process process;

    private ParentExitWatchdog(Process process) {
        this.process = process;
    }

    /**
     * Starts a watchdog that, once this JVM is gone, runs {@code stopCommand} and then deletes
     * {@code directory}.
     */
    static ParentExitWatchdog start(List<String> stopCommand, Path directory) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", SCRIPT, "watchdog"));
        command.add(directory.toString());
        command.addAll(stopCommand);
        try {
            Process process =
                    new ProcessBuilder(command)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start();
            return new ParentExitWatchdog(process);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the watchdog for " + directory, e);
        }
    }

    /** Ends the watchdog without running its cleanup, because the owner cleaned up itself. */
    void disarm() {
        // Through the handle: Process.destroyForcibly also closes stdin, and the script must
        // never see end of file.
        process.toHandle().destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeStdin();
        }
    }

    /** Runs the cleanup now, exactly as if this JVM had died. */
    void trigger() {
        closeStdin();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // The pipe is already broken: the watchdog is gone either way.
        }
    }
}
