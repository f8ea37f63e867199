package io.refreshorchestrator.local;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * The child JVM of a {@link KafkaBroker}: formats the storage with Kafka's {@code StorageTool},
 * runs {@link KafkaBrokerMain}, and stops or kills it, with all output in one log file.
 *
 * <p>Signals go through {@link ProcessHandle}: {@link Process#destroy()} would also close the
 * child's stdin, which {@link KafkaBrokerMain} takes as "the parent is gone: delete everything".
 */
final class KafkaBrokerProcess {

    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    // A short-lived tool: the C1 compiler and the serial collector make it start sooner.
    private static final List<String> TOOL_JVM_OPTIONS =
            List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final Path propertiesFile;
    private final Path logFile;
    private final List<String> jvmOptions;
    private final Map<String, String> systemProperties;
    private volatile Process process;

    /**
     * @param deleteOnParentExit whether the child deletes {@code directory} when it notices that
     *     this JVM is gone (a temporary broker), or leaves it for the next start (a kept one)
     */
    KafkaBrokerProcess(Path directory, List<String> jvmOptions, boolean deleteOnParentExit) {
        this.propertiesFile = directory.resolve("server.properties");
        this.logFile = directory.resolve("broker.log");
        this.jvmOptions = List.copyOf(jvmOptions);
        var properties = new HashMap<>(ChildLogging.configure(directory));
        if (deleteOnParentExit) {
            properties.put(KafkaBrokerMain.CLEANUP_DIRECTORY_PROPERTY, directory.toString());
        }
        this.systemProperties = Map.copyOf(properties);
    }

    /** Formats the log directories of {@link #propertiesFile()} for a new random cluster id. */
    void format() {
        var command =
                ChildJvm.command(
                        TOOL_JVM_OPTIONS,
                        systemProperties,
                        "kafka.tools.StorageTool",
                        List.of(
                                "format",
                                "-t",
                                Uuid.randomUuid().toString(),
                                "-c",
                                propertiesFile.toString()));
        OsCommand.run(command, logFile, Poll.scaled(FORMAT_TIMEOUT));
    }

    /** Starts the broker JVM; it is ready later, when it answers admin calls. */
    void launch() {
        var command =
                ChildJvm.command(
                        jvmOptions,
                        systemProperties,
                        KafkaBrokerMain.class.getName(),
                        List.of(propertiesFile.toString()));
        process = ChildJvm.start(command, logFile);
    }

    boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /** The exit code of the last broker JVM, which must have exited. */
    int exitCode() {
        return process.exitValue();
    }

    /** The process id of the last broker JVM; fails before the first launch. */
    long pid() {
        return process.pid();
    }

    /** SIGKILL, like a crash. */
    void kill() {
        Process current = process;
        if (current != null) {
            current.toHandle().destroyForcibly();
            awaitExit(current, KILL_TIMEOUT);
        }
    }

    /** SIGTERM (Kafka's controlled shutdown), then SIGKILL after {@code grace}. */
    boolean stop(Duration grace) {
        Process current = process;
        if (current == null || !current.isAlive()) {
            return true;
        }
        current.toHandle().destroy();
        if (awaitExit(current, grace)) {
            return true;
        }
        kill();
        return false;
    }

    Path propertiesFile() {
        return propertiesFile;
    }

    Path logFile() {
        return logFile;
    }

    private static boolean awaitExit(Process process, Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
            process.getOutputStream().close();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (IOException e) {
            return true; // the child is gone; closing our end of its stdin is only hygiene
        }
    }
}
