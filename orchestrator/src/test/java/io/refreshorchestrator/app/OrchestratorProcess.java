package io.refreshorchestrator.app;

import io.refreshorchestrator.OrchestratorMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code refresh-orchestrator run} in a child JVM with the production logging configuration ({@code
 * logback.xml}, not the tests' {@code logback-test.xml}), its output in a file: for what only a
 * real process shows, such as its exit status and its log lines.
 */
final class OrchestratorProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private OrchestratorProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static OrchestratorProcess run(Path config, Path log) throws IOException {
        var command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx256m",
                                "-Dlogback.configurationFile=logback.xml",
                                "-cp",
                                System.getProperty("java.class.path"),
                                OrchestratorMain.class.getName(),
                                "run",
                                "--config",
                                config.toString()));
        var builder =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("PGPASSWORD", "unused");
        return new OrchestratorProcess(builder.start(), log);
    }

    Process process() {
        return process;
    }

    /** The output so far. */
    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The output's lines that contain {@code text}. */
    List<String> lines(String text) throws IOException {
        return output().lines().filter(line -> line.contains(text)).toList();
    }

    /** Sends SIGTERM, as a service manager stopping the service does. */
    void terminate() {
        process.destroy();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
}
