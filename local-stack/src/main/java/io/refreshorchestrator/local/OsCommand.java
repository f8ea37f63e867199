package io.refreshorchestrator.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an operating-system command to completion, its output appended to a file. */
final class OsCommand {

    private OsCommand() {}

    /**
     * Runs {@code command} and returns when it exited with status 0.
     *
     * @throws IllegalStateException when it fails or runs longer than {@code timeout}, with the
     *     tail of {@code outputFile} in the message
     */
    static void run(List<String> command, Path outputFile, Duration timeout) {
        int exitCode = runForExitCode(command, outputFile, timeout);
        if (exitCode != 0) {
            throw new IllegalStateException(
                    "Command failed with exit code "
                            + exitCode
                            + ": "
                            + String.join(" ", command)
                            + "\n"
                            + LogTail.of(outputFile, 20));
        }
    }

    /** Runs {@code command} and returns its exit code; fails only when it cannot run or hangs. */
    static int runForExitCode(List<String> command, Path outputFile, Duration timeout) {
        Process process;
        try {
            process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()))
                            .start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + String.join(" ", command), e);
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "Command did not finish within "
                                + timeout.toMillis()
                                + " ms: "
                                + String.join(" ", command)
                                + "\n"
                                + LogTail.of(outputFile, 20));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command.get(0), e);
        }
    }
}
