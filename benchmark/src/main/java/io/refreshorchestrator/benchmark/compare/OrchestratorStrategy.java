package io.refreshorchestrator.benchmark.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * This project, all-in-one (capture, topology and executor in one process): the shaded jar of the
 * working tree ({@code orchestrator/target/refresh-orchestrator.jar}) started as a child JVM with a
 * generated configuration that discovers the {@code analytics} views, so a rerun measures whatever
 * the jar holds then, and its CPU time and peak RSS are its own. It is ready once every view has
 * been refreshed after start (the new slot's STARTUP commands and their cascade).
 */
final class OrchestratorStrategy implements Strategy {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final Path jar;
    private final boolean leadingEdge;
    private final String id;
    private BenchContext context;
    private Process process;
    private ResultsReader results;
    private ProcessUsage atStart;
    private StageTracker stageTracker;

    OrchestratorStrategy(Path jar, boolean leadingEdge) {
        this.jar = jar;
        this.leadingEdge = leadingEdge;
        this.id = leadingEdge ? "bench_leading" : "bench_default";
    }

    @Override
    public String name() {
        return leadingEdge ? "orchestrator leading-edge" : "orchestrator";
    }

    @Override
    public String description() {
        return "refresh-orchestrator.jar run, all-in-one, default policy (debounce 1s, max-delay"
                + " 10s"
                + (leadingEdge ? ") with leading-edge: true" : ")")
                + ", -Xmx512m";
    }

    @Override
    public void start(BenchContext context) throws Exception {
        this.context = context;
        Path dir = Files.createDirectories(context.workDirectory().resolve(id));
        Path config = dir.resolve("orchestrator.yml");
        Files.writeString(config, yaml(context, dir));
        var builder =
                new ProcessBuilder(
                        javaBinary(),
                        "-Xmx512m",
                        "-jar",
                        jar.toString(),
                        "run",
                        "--config",
                        config.toString());
        builder.environment().put("PGPASSWORD", "unused-trust-authentication");
        builder.redirectErrorStream(true);
        builder.redirectOutput(dir.resolve("orchestrator.log").toFile());
        process = builder.start();
        Process child = process;
        Runtime.getRuntime().addShutdownHook(new Thread(child::destroyForcibly));
        results =
                new ResultsReader(
                        context.stack().kafka().bootstrapServers(), id + "-refresh-results");
        awaitReady(dir);
        atStart = ProcessUsage.of(process.pid()).orElse(null);
        stageTracker =
                new StageTracker(
                        context.stack().kafka().bootstrapServers(),
                        changeTopic(WorkloadSchema.EVENTS_TABLE),
                        commandsTopic(),
                        resultsTopic());
    }

    private void awaitReady(Path dir) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "The orchestrator exited with " + process.exitValue() + "; see " + dir);
            }
            var refreshed = results.runs().stream().map(RefreshRun::view).distinct().count();
            if (refreshed == WorkloadSchema.VIEWS.size()) {
                return;
            }
            Thread.sleep(200); // a benchmark's wait, not a test
        }
        throw new IllegalStateException(
                "The orchestrator did not refresh every view within "
                        + READY_TIMEOUT
                        + "; see "
                        + dir);
    }

    private String yaml(BenchContext context, Path dir) {
        return """
                postgres:
                  host: %s
                  port: %d
                  database: %s
                  user: %s
                kafka:
                  bootstrap-servers: %s
                cdc:
                  topic-prefix: %s
                  slot: %s
                  publication: %s
                  offsets-topic: %s-cdc-offsets
                  signals-topic: %s-signals
                topics:
                  commands: %s-refresh-commands
                  results: %s-refresh-results
                  dlq: %s-refresh-dlq
                streams:
                  application-id: %s
                  state-dir: %s
                executor:
                  group-id: %s-executor
                  state-schema: %s_state
                defaults:
                  leading-edge: %s
                discovery:
                  schemas: [analytics]
                """
                .formatted(
                        context.stack().postgres().host(),
                        context.stack().postgres().port(),
                        context.database(),
                        context.stack().postgres().user(),
                        context.stack().kafka().bootstrapServers(),
                        id,
                        id,
                        id,
                        id,
                        id,
                        id,
                        id,
                        id,
                        id,
                        dir.resolve("streams"),
                        id,
                        id,
                        leadingEdge);
    }

    /** The replication slot (also the publication and the change topics' prefix). */
    String slot() {
        return id;
    }

    String changeTopic(String table) {
        return id + "." + table;
    }

    String commandsTopic() {
        return id + "-refresh-commands";
    }

    String resultsTopic() {
        return id + "-refresh-results";
    }

    @Override
    public List<RefreshRun> runs() {
        return results.runs();
    }

    @Override
    public Map<String, LagStats> stages(long fromMicros, long toMicros) {
        if (stageTracker == null) {
            return Map.of();
        }
        var stats = new LinkedHashMap<String, LagStats>();
        for (String stage : StageTracker.STAGES) {
            stats.put(stage, LagStats.of(stageTracker.between(stage, fromMicros, toMicros)));
        }
        stats.put(
                StageTracker.CASCADE,
                LagStats.of(stageTracker.between(StageTracker.CASCADE, fromMicros, toMicros)));
        return stats;
    }

    /** Its results so far by status: a SKIPPED run is one the executor judged covered. */
    @Override
    public String diagnostics() {
        return "; results by status " + results.statuses();
    }

    /** CPU since it became ready; peak RSS since it started. */
    @Override
    public Optional<ProcessUsage> usage() {
        if (process == null || atStart == null) {
            return Optional.empty();
        }
        return ProcessUsage.of(process.pid()).map(now -> now.since(atStart));
    }

    @Override
    public void close() throws Exception {
        if (stageTracker != null) {
            stageTracker.close();
        }
        if (results != null) {
            results.close();
        }
        if (process != null) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        if (context != null) {
            dropSlotAndPublication();
        }
    }

    private void dropSlotAndPublication() throws SQLException {
        try (Connection connection = context.connect();
                Statement sql = connection.createStatement()) {
            sql.execute(
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                            + " WHERE slot_name = '"
                            + id
                            + "' AND NOT active");
            sql.execute("DROP PUBLICATION IF EXISTS " + id);
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Whether the jar is there to be run; the reason it cannot be, otherwise. */
    static Optional<String> unavailable(Path jar) {
        if (Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        return Optional.of(
                jar
                        + " not found: build it with ./mvnw -B -pl orchestrator -am package"
                        + " -DskipTests");
    }
}
