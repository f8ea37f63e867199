package io.refreshorchestrator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.app.ReadmeBlocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's demo line (the command after the build, on the jar this build made) as a child
 * process with {@code --duration 60s}, its {@code java.io.tmpdir} a directory of the test's own,
 * and checks what a newcomer would: exit 0, a result for every example view with its freshness lag
 * under its max-delay, the summary printed, and nothing left behind: no process it started
 * (descendants seen while it ran, or any process naming its temporary directory) and an empty
 * temporary directory.
 */
class DemoIT {

    private static final Pattern JOB_LINE =
            Pattern.compile(
                    "^\\s+job (\\S+) \\(REFRESH, debounce [^,]+, max-delay ([0-9.]+) (ms|s|min)\\)");
    private static final Pattern RESULT_LINE =
            Pattern.compile(
                    "^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(?:(\\d+)"
                            + " ms|-)\\s+(?:(\\d+) ms|-)\\s*$");
    private static final double FACTOR =
            Double.parseDouble(System.getProperty("it.timeout.factor", "1"));

    @Test
    void readmeDemoLineRunsRefreshesEveryViewAndLeavesNothingBehind() throws Exception {
        // given the README's demo line, run on the jar of this build
        List<String> command = demoCommand();
        // traversable like /tmp: as root, PostgreSQL runs as the postgres user below it
        Path tmp =
                Files.createTempDirectory(
                        "demo-it-",
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path output = Path.of("target", "demo-it-output.txt").toAbsolutePath();
        var full = new ArrayList<String>();
        full.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        full.add("-Djava.io.tmpdir=" + tmp);
        full.addAll(command.subList(1, command.size()));
        full.addAll(List.of("--duration", "60s"));
        var process =
                new ProcessBuilder(full)
                        .directory(ReadmeBlocks.repositoryRoot().toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();

        // when it runs to its end, its descendants noted on the way
        Set<ProcessHandle> descendants = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds((long) (150 * FACTOR)).toNanos();
        while (!process.waitFor(500, TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(descendants::add);
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError("the demo did not end within 150 s:\n" + read(output));
            }
        }
        String text = read(output);
        System.out.println(text);

        // then it ended well and printed a result for every view, each within its max-delay
        assertThat(process.exitValue()).as("exit code; output:\n%s", text).isZero();
        Map<String, Long> maxDelayMs = maxDelays(text);
        assertThat(maxDelayMs)
                .as("the example views")
                .containsKeys(
                        "analytics.daily_active_learners",
                        "analytics.popular_tracks",
                        "analytics.quiz_completion_rates",
                        "analytics.learning_summary",
                        "analytics.platform_metrics");
        Map<String, List<Long>> lags = lagsOfSucceededRuns(text);
        for (var view : maxDelayMs.keySet()) {
            assertThat(lags.get(view))
                    .as("freshness lags of %s's data-change and cascade refreshes", view)
                    .isNotEmpty()
                    .allSatisfy(lag -> assertThat(lag).isLessThan(maxDelayMs.get(view)));
        }
        assertThat(text)
                .as("a scheduled cleanup ran")
                .containsPattern("cleanup_old_api_requests\\s+SCHEDULE\\s+SUCCEEDED");
        assertThat(text).contains("SUMMARY: ").contains("CRON 30 min mean");
        String summary = text.substring(text.indexOf("SUMMARY: "));
        for (var view : maxDelayMs.keySet()) {
            assertThat(summary)
                    .as("summary row of %s", view)
                    .containsPattern("(?m)^" + Pattern.quote(view) + "\\s+\\d+");
        }
        assertThat(text).containsPattern("HTTP API was at http://127\\.0\\.0\\.1:\\d+");

        // and left nothing behind
        assertThat(descendants).as("processes the demo started").isNotEmpty();
        assertThat(descendants.stream().filter(ProcessHandle::isAlive).toList())
                .as("its child processes, after its exit")
                .isEmpty();
        assertThat(
                        ProcessHandle.allProcesses()
                                .filter(
                                        p ->
                                                p.info()
                                                        .commandLine()
                                                        .orElse("")
                                                        .contains(tmp.toString()))
                                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                                .toList())
                .as("processes naming its temporary directory " + tmp)
                .isEmpty();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.toList()).as("what it left in its temporary directory").isEmpty();
        }
        Files.delete(tmp);
    }

    /** The README's demo command after the build step, with the built jar resolved. */
    private static List<String> demoCommand() {
        String block = ReadmeBlocks.block("demo-command", "bash").trim();
        assertThat(block.lines().count()).as("one line: %s", block).isEqualTo(1);
        String run = block.substring(block.lastIndexOf("&&") + 2).trim();
        List<String> words = List.of(run.split("\\s+"));
        assertThat(words)
                .as("the README's demo line runs the jar: %s", run)
                .startsWith("java", "-jar");
        assertThat(words).contains("demo");
        Path jar = ReadmeBlocks.repositoryRoot().resolve(words.get(2));
        assertThat(jar).as("the jar of this build (package runs before the ITs)").exists();
        var resolved = new ArrayList<>(words);
        resolved.set(2, jar.toString());
        return resolved;
    }

    private static Map<String, Long> maxDelays(String text) {
        var delays = new HashMap<String, Long>();
        text.lines()
                .map(JOB_LINE::matcher)
                .filter(java.util.regex.Matcher::find)
                .forEach(
                        m -> {
                            double value = Double.parseDouble(m.group(2));
                            long millis =
                                    switch (m.group(3)) {
                                        case "ms" -> (long) value;
                                        case "s" -> (long) (value * 1_000);
                                        default -> (long) (value * 60_000);
                                    };
                            delays.put(m.group(1), millis);
                        });
        return delays;
    }

    /** Per job, the freshness lags of its SUCCEEDED DATA_CHANGE and CASCADE runs. */
    private static Map<String, List<Long>> lagsOfSucceededRuns(String text) {
        var lags = new HashMap<String, List<Long>>();
        text.lines()
                .map(RESULT_LINE::matcher)
                .filter(java.util.regex.Matcher::matches)
                .filter(m -> m.group(3).equals("SUCCEEDED") && m.group(6) != null)
                .filter(m -> m.group(2).equals("DATA_CHANGE") || m.group(2).equals("CASCADE"))
                .forEach(
                        m ->
                                lags.computeIfAbsent(m.group(1), j -> new ArrayList<>())
                                        .add(Long.parseLong(m.group(6))));
        return lags;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
