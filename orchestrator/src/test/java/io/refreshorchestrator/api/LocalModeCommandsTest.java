package io.refreshorchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refreshorchestrator.localmode.DataDirectory;
import io.refreshorchestrator.localmode.InstanceFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How trigger, tail, pause and resume find a local-mode process through its data directory, and
 * what they say when none runs there; none of these cases reaches Kafka.
 */
class LocalModeCommandsTest {

    @TempDir Path dir;

    @Test
    void shouldSayThatNothingRunsWhenTheDataDirectoryHasNoInstanceFile() {
        // when
        var run = CliRun.of("trigger", "analytics.a", "--data-dir", dir.toString());

        // then
        assertThat(run.exitCode()).as(run.both()).isEqualTo(1);
        assertThat(run.err())
                .startsWith(
                        "no local orchestrator is running in "
                                + dir
                                + " (no instance.json there): start `run` first");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldTellAStaleInstanceFileByItsDeadProcess() throws Exception {
        // given an instance file written by a process that is gone
        var gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
        instanceFile(gone.pid(), null, List.of("analytics.a"))
                .write(DataDirectory.at(dir).instanceFile());

        // when
        var run = CliRun.of("tail", "--data-dir", dir.toString());

        // then
        assertThat(run.exitCode()).as(run.both()).isEqualTo(1);
        assertThat(run.err())
                .startsWith(
                        "no local orchestrator is running in "
                                + dir
                                + ": its instance.json is stale, process "
                                + gone.pid()
                                + " that wrote it is gone");
    }

    @Test
    void shouldTellAReusedPidByItsStartTime() {
        // given the file names this process's pid, but a process started long before
        var self = ProcessHandle.current();
        var file = instanceFile(self.pid(), Instant.parse("2001-01-01T00:00:00Z"), List.of("a"));

        // then
        assertThat(file.isRunning()).isFalse();
        assertThat(instanceFile(self.pid(), null, List.of("a")).isRunning()).isTrue();
    }

    @Test
    void shouldRejectAJobTheRunningProcessDoesNotRunAndSayWhichProcessItAsked() {
        // given a live process (this one) running two jobs
        instanceFile(
                        ProcessHandle.current().pid(),
                        ProcessHandle.current().info().startInstant().orElse(null),
                        List.of("analytics.a", "analytics.b"))
                .write(DataDirectory.at(dir).instanceFile());

        // when
        var run = CliRun.of("trigger", "analytics.nope", "--wait", "--data-dir", dir.toString());

        // then
        assertThat(run.exitCode()).as(run.both()).isEqualTo(2);
        assertThat(run.err().lines().toList())
                .containsExactly(
                        "Using the local orchestrator (pid "
                                + ProcessHandle.current().pid()
                                + ") of data directory "
                                + dir
                                + ": Kafka 127.0.0.1:9, HTTP API http://127.0.0.1:8080",
                        "no job 'analytics.nope' in the local orchestrator (pid "
                                + ProcessHandle.current().pid()
                                + "), which runs analytics.a, analytics.b");
    }

    @Test
    void shouldKeepASecondProcessOutOfALockedDataDirectory() throws Exception {
        // given
        var directory = DataDirectory.at(dir.resolve("data"));
        try (var held = directory.lock()) {
            // when / then
            assertThatThrownBy(directory::lock)
                    .isInstanceOf(DataDirectory.DataDirectoryInUseException.class)
                    .hasMessageContaining("is in use by another orchestrator");
        }
        // and once released, it can be taken again
        directory.lock().close();
    }

    @Test
    void shouldReadBackTheInstanceFileItWrote() {
        // given
        var written = instanceFile(42, Instant.parse("2026-01-01T00:00:00Z"), List.of("x.y"));
        var file = DataDirectory.at(dir).instanceFile();

        // when
        written.write(file);

        // then
        assertThat(InstanceFile.read(file)).contains(written);
        assertThat(InstanceFile.read(dir.resolve("none.json"))).isEmpty();
    }

    @Test
    void shouldExplainEachCommandWithHelp() {
        for (var command :
                List.of("run", "trigger", "tail", "status", "pause", "resume", "plan", "check")) {
            var run = CliRun.of(command, "--help");
            assertThat(run.exitCode()).as(run.both()).isZero();
            assertThat(run.out()).as(command).contains("Usage: refresh-orchestrator " + command);
        }
        assertThat(CliRun.of("trigger", "--help").out())
                .contains("--wait", "--timeout", "--data-dir");
        assertThat(CliRun.of("tail", "--help").out())
                .contains("--json", "--job", "--from-beginning", "--count", "--data-dir");
        assertThat(CliRun.of("run", "--help").out()).contains("--data-dir");
    }

    private static InstanceFile instanceFile(long pid, Instant processStart, List<String> jobs) {
        return new InstanceFile(
                InstanceFile.CURRENT_VERSION,
                pid,
                processStart,
                Instant.parse("2026-01-01T00:00:05Z"),
                "127.0.0.1:9",
                "http://127.0.0.1:8080",
                "refresh-orchestrator",
                "refresh-commands",
                "refresh-results",
                "refresh-control",
                jobs);
    }
}
