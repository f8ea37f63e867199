package io.refreshorchestrator.localmode;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.refreshorchestrator.events.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code instance.json}: how the other commands reach the local-mode process that wrote it, which
 * removes it when it stops. A file left by a process that died (kill -9, power loss) names a pid
 * that no longer runs: {@link #isRunning} tells.
 *
 * @param version of this format, {@value #CURRENT_VERSION}
 * @param pid the process id of the orchestrator
 * @param processStartedAt when that process started (to tell a reused pid apart), if known
 * @param startedAt when the orchestrator was ready
 * @param kafkaBootstrapServers the embedded broker's address
 * @param httpUrl the HTTP API's base URL, null when it is off
 * @param applicationId the deployment's Kafka Streams application id (addresses pause/resume)
 * @param commandsTopic where manual commands go
 * @param resultsTopic where results come from
 * @param controlTopic where pause/resume go
 * @param jobs the jobs the process runs, by name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstanceFile(
        int version,
        long pid,
        Instant processStartedAt,
        Instant startedAt,
        String kafkaBootstrapServers,
        String httpUrl,
        String applicationId,
        String commandsTopic,
        String resultsTopic,
        String controlTopic,
        List<String> jobs) {

    public static final int CURRENT_VERSION = 1;

    /** The start of a reused pid differs from the recorded one by far more than this. */
    private static final Duration START_TOLERANCE = Duration.ofSeconds(2);

    public InstanceFile {
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }

    /** This process's pid and start time. */
    public static InstanceFile ofThisProcess(
            Instant startedAt,
            String kafkaBootstrapServers,
            String httpUrl,
            String applicationId,
            String commandsTopic,
            String resultsTopic,
            String controlTopic,
            List<String> jobs) {
        var self = ProcessHandle.current();
        return new InstanceFile(
                CURRENT_VERSION,
                self.pid(),
                self.info().startInstant().orElse(null),
                startedAt,
                kafkaBootstrapServers,
                httpUrl,
                applicationId,
                commandsTopic,
                resultsTopic,
                controlTopic,
                jobs);
    }

    /** Whether the process that wrote this file still runs. */
    public boolean isRunning() {
        var process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        var started = process.get().info().startInstant();
        if (processStartedAt == null || started.isEmpty()) {
            return true;
        }
        var apart = Duration.between(processStartedAt, started.get()).abs();
        return apart.compareTo(START_TOLERANCE) <= 0;
    }

    /** The file's content, empty when there is no file. */
    public static Optional<InstanceFile> read(Path file) {
        try {
            return Optional.of(
                    Json.mapper().readValue(Files.readAllBytes(file), InstanceFile.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** Writes the file in one step: a reader sees the old content or the new, never a part. */
    public void write(Path file) {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            Files.write(
                    partial,
                    Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
            try {
                Files.move(
                        partial,
                        file,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the instance file as JSON", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
