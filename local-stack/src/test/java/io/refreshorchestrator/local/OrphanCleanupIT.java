package io.refreshorchestrator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM killed with SIGKILL runs no shutdown hook; its services must still go away. */
class OrphanCleanupIT {

    private static final Pattern READY =
            Pattern.compile(
                    "READY broker=(\\d+) kafkaDir=(\\S+) postmaster=(\\d+) postgresDir=(\\S+)");

    @TempDir Path directory;

    @Test
    void shouldStopAndDeleteBothServicesWhenTheirJvmIsKilled() throws Exception {
        // given a JVM that started a stack
        Path output = directory.resolve("child.log");
        var command =
                ChildJvm.command(
                        List.of("-Xmx256m"), Map.of(), LocalStackChild.class.getName(), List.of());
        Process child = ChildJvm.start(command, output);
        try {
            var ready = awaitReady(output, child);
            long brokerPid = Long.parseLong(ready.group(1));
            Path kafkaDirectory = Path.of(ready.group(2));
            long postmasterPid = Long.parseLong(ready.group(3));
            Path postgresDirectory = Path.of(ready.group(4));

            // when
            child.toHandle().destroyForcibly();

            // then
            await("the broker and the postmaster to exit and their directories to be deleted")
                    .atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    !ProcessLiveness.isRunning(brokerPid)
                                            && !ProcessLiveness.isRunning(postmasterPid)
                                            && !Files.exists(kafkaDirectory)
                                            && !Files.exists(postgresDirectory));
        } finally {
            child.destroyForcibly();
        }
    }

    private static java.util.regex.Matcher awaitReady(Path output, Process child) {
        await("the child JVM to start a stack")
                .atMost(Duration.ofSeconds(90))
                .failFast("the child JVM exited", () -> !child.isAlive())
                .until(
                        () ->
                                Files.exists(output)
                                        && READY.matcher(Files.readString(output)).find());
        try {
            var matcher = READY.matcher(Files.readString(output));
            assertThat(matcher.find()).isTrue();
            return matcher;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
