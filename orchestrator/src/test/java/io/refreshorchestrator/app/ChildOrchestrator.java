package io.refreshorchestrator.app;

import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.OrchestratorMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code refresh-orchestrator run --config FILE} as a child JVM with the test's class path, its
 * output appended to a log file: a process the test can stop with SIGTERM or kill with SIGKILL.
 */
final class ChildOrchestrator implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ChildOrchestrator(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ChildOrchestrator start(Path config, Path log) throws IOException {
        return start(config, log, Map.of(), List.of());
    }

    /**
     * Like {@link #start(Path, Path)} with the shipped logging configuration ({@code logback.xml}),
     * not the tests' {@code logback-test.xml}: for what an operator would read in the log.
     */
    static ChildOrchestrator startWithShippedLogging(Path config, Path log) throws IOException {
        return start(config, log, Map.of(), List.of("-Dlogback.configurationFile=logback.xml"));
    }

    /** As {@link #startWithShippedLogging(Path, Path)}, with options of {@code run} added. */
    static ChildOrchestrator startWithShippedLogging(Path config, Path log, List<String> options)
            throws IOException {
        return start(
                config, log, Map.of(), List.of("-Dlogback.configurationFile=logback.xml"), options);
    }

    /** With {@code env} added to its environment, e.g. configuration overrides. */
    static ChildOrchestrator start(Path config, Path log, Map<String, String> env)
            throws IOException {
        return start(config, log, env, List.of());
    }

    /**
     * As {@link #start(Path, Path)}, with {@code env} added to the child's environment and {@code
     * jvmOptions} (system properties, for example) to its command line.
     */
    static ChildOrchestrator start(
            Path config, Path log, Map<String, String> env, List<String> jvmOptions)
            throws IOException {
        return start(config, log, env, jvmOptions, List.of());
    }

    /** As {@link #start(Path, Path, Map, List)}, with {@code runOptions} after {@code run}. */
    static ChildOrchestrator start(
            Path config,
            Path log,
            Map<String, String> env,
            List<String> jvmOptions,
            List<String> runOptions)
            throws IOException {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        command.add(OrchestratorMain.class.getName());
        return launch(command, config, log, env, runOptions);
    }

    /**
     * {@code java -jar JAR run --config FILE}, as the container image runs it: the shaded jar the
     * build packaged, with its own logging configuration, and {@code env} added.
     */
    static ChildOrchestrator startJar(Path jar, Path config, Path log, Map<String, String> env)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar.toAbsolutePath() + " missing: run the ITs through `mvn verify`");
        }
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(List.of("-jar", jar.toString()));
        return launch(command, config, log, env, List.of());
    }

    private static ChildOrchestrator launch(
            List<String> javaCommand,
            Path config,
            Path log,
            Map<String, String> env,
            List<String> runOptions)
            throws IOException {
        var command = new ArrayList<>(javaCommand);
        command.addAll(List.of("run", "--config", config.toString()));
        command.addAll(runOptions);
        // a log left by an earlier run would satisfy awaitLog before this process said anything
        Files.deleteIfExists(log);
        var builder =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("PGPASSWORD", "unused");
        builder.environment().putAll(env);
        return new ChildOrchestrator(builder.start(), log);
    }

    /** Waits until the log holds {@code text}. */
    ChildOrchestrator awaitLog(String text, Duration timeout) {
        await("'" + text + "' in " + log)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(log) && Files.readString(log).contains(text));
        return this;
    }

    /** Waits until the topology runs and capture streams. */
    ChildOrchestrator awaitReady(Duration timeout) {
        return awaitLog("-> RUNNING", timeout).awaitLog("Streaming changes of", timeout);
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** The log's lines that contain {@code text}. */
    List<String> logLines(String text) throws IOException {
        return log().lines().filter(line -> line.contains(text)).toList();
    }

    /** Waits at most {@code timeout} for the process to end by itself; returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the orchestrator did not exit within " + timeout);
        }
        return process.exitValue();
    }

    /** SIGTERM, then waits for the exit; returns the exit code. */
    int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the orchestrator did not stop within " + timeout);
        }
        return process.exitValue();
    }

    /** The process id. */
    long pid() {
        return process.pid();
    }

    /** Whether the process is still running. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no commit, no close. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the killed orchestrator did not exit");
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
}
