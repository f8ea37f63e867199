package io.refreshorchestrator.demo;

import io.refreshorchestrator.app.Orchestrator;
import io.refreshorchestrator.config.ConfigReader;
import io.refreshorchestrator.config.OrchestratorConfigLoader;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.local.KafkaBroker;
import io.refreshorchestrator.local.PostgresServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One run of the demo: a temporary directory, a throwaway PostgreSQL with the example schema, an
 * embedded Kafka broker, the orchestrator (capture, topology, executor, HTTP API), the result feed
 * and the write workload; {@link #stop} ends them in the reverse order, deletes the directory and
 * prints the summary.
 */
final class DemoSession {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);

    private final DemoOptions options;
    private final PrintWriter out;
    private final Progress progress;
    private Path directory;
    private PostgresServer postgres;
    private KafkaBroker broker;
    private Orchestrator orchestrator;
    private ResultFeed feed;
    private LearnerWorkload workload;
    private long writesStartedAt;
    private boolean stopped;

    DemoSession(DemoOptions options, PrintWriter out) {
        this.options = options;
        this.out = out;
        this.progress = new Progress(out);
    }

    /** Starts everything; on failure the caller still calls {@link #stop}. */
    void start() throws InterruptedException {
        out.println("Refresh Orchestrator demo: learning analytics kept fresh from the WAL");
        long started = System.nanoTime();
        synchronized (this) {
            directory = createDirectory();
        }
        Path binaries =
                DemoPostgres.binaries(
                        options.postgres(), directory, options.mavenRepository(), progress);
        var server = DemoPostgres.start(binaries, progress);
        synchronized (this) {
            postgres = server;
        }
        var kafka = progress.step("Kafka broker (embedded, KRaft, one node)", KafkaBroker::start);
        kafka.handOverShutdown();
        synchronized (this) {
            broker = kafka;
        }
        var config =
                OrchestratorConfigLoader.read(
                        ConfigReader.fromYaml(
                                DemoPostgres.resource("orchestrator.yml"),
                                "examples/demo/orchestrator.yml",
                                env()));
        var started2 =
                progress.step(
                        "change capture, topology, executor and HTTP API",
                        () -> Orchestrator.start(config));
        synchronized (this) {
            orchestrator = started2;
        }
        boolean ready =
                progress.step("capture streaming and topology running", () -> awaitReady(started2));
        if (!ready) {
            throw new IllegalStateException(
                    "capture or topology not ready within " + READY_TIMEOUT.toSeconds() + " s");
        }
        for (JobSpec job : started2.jobs().topologicalOrder()) {
            progress.note(JobText.of(job));
        }
        var results = ResultFeed.start(started2.kafka(), config.topics().topics(), out);
        synchronized (this) {
            feed = results;
        }
        writesStartedAt = System.nanoTime();
        var writes =
                LearnerWorkload.start(
                        postgres.jdbcUrl(DemoPostgres.DATABASE),
                        postgres.user(),
                        options.writeInterval());
        synchronized (this) {
            workload = writes;
        }
        out.println(
                "Started in "
                        + Progress.seconds(System.nanoTime() - started)
                        + ". Writing a burst of learner activity every "
                        + SummaryTable.human(options.writeInterval())
                        + ".");
        out.println(httpLine(started2));
        out.println(
                options.duration() == null
                        ? "Press Ctrl-C to stop and see the summary."
                        : "Stopping after " + SummaryTable.human(options.duration()) + ".");
        out.println();
        out.println(LiveLine.HEADER);
        out.flush();
    }

    /**
     * Blocks until {@code duration} passed (null: until the process is stopped).
     *
     * @return false when the orchestrator stopped by itself first
     */
    boolean await(Duration duration) throws InterruptedException {
        if (duration == null) {
            orchestrator.awaitTermination();
            return false;
        }
        return !orchestrator.awaitTermination(duration);
    }

    /** Why the orchestrator stopped by itself, if it did. */
    java.util.Optional<String> fatal() {
        return orchestrator == null ? java.util.Optional.empty() : orchestrator.fatal();
    }

    /**
     * Stops writing, lets the last changes be refreshed, stops everything and prints the summary.
     */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        Duration ran = Duration.ofNanos(System.nanoTime() - writesStartedAt);
        out.println();
        if (workload != null) {
            close(workload);
            var drained =
                    progress.step(
                            "draining: the last writes' refreshes (at most "
                                    + DRAIN_TIMEOUT.toSeconds()
                                    + " s)",
                            () -> Drain.await(feed, workload, orchestrator.jobs(), DRAIN_TIMEOUT));
            if (!drained) {
                progress.note("some writes were not refreshed yet: see the summary");
            }
        }
        var summary =
                feed == null
                        ? null
                        : DemoSummary.rows(
                                orchestrator.jobs(),
                                feed.results(),
                                feed.changesByJob(),
                                workload.commits(),
                                options.compareCron());
        progress.step(
                "stopping: orchestrator, Kafka, PostgreSQL; deleting the temporary directory",
                () -> {
                    close(feed);
                    close(orchestrator);
                    close(broker);
                    close(postgres);
                    deleteDirectory();
                    return null;
                });
        if (summary != null) {
            SummaryTable.print(out, summary, options.compareCron(), workload.commits().size(), ran);
            out.println(httpLine(orchestrator).replace(" is at ", " was at "));
        }
        out.flush();
    }

    private Map<String, String> env() {
        return Map.of(
                ConfigReader.envName("postgres.port"),
                Integer.toString(postgres.port()),
                ConfigReader.envName("kafka.bootstrap-servers"),
                broker.bootstrapServers(),
                ConfigReader.envName("streams.state-dir"),
                directory.resolve("streams").toString(),
                ConfigReader.envName("http.port"),
                Integer.toString(HttpPort.choose(options.httpPort())),
                ConfigReader.envName("instance-id"),
                "demo",
                "PGPASSWORD",
                "demo-uses-trust-authentication");
    }

    private static boolean awaitReady(Orchestrator orchestrator) {
        try {
            return orchestrator.awaitReady(READY_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String httpLine(Orchestrator orchestrator) {
        var port = orchestrator.httpPort();
        if (port.isEmpty()) {
            return "HTTP API: off";
        }
        String base = "http://127.0.0.1:" + port.getAsInt();
        return "HTTP API is at "
                + base
                + " (GET /jobs, /jobs/{name}, /health/ready, /metrics; POSTs off: no token)";
    }

    private Path createDirectory() {
        try {
            Path dir = Files.createTempDirectory("refresh-demo-");
            DemoPostgres.openForServerUser(dir);
            progress.note("temporary directory " + dir + " (deleted at the end)");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the demo's temporary directory", e);
        }
    }

    private void deleteDirectory() {
        if (directory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            out.println("Could not delete " + directory + ": " + e);
        }
    }

    private void close(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            out.println(
                    "  error while stopping " + closeable.getClass().getSimpleName() + ": " + e);
        }
    }
}
