package io.refreshorchestrator.benchmark;

import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobPolicy;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.KafkaBroker;
import io.refreshorchestrator.topology.StreamsSettings;
import io.refreshorchestrator.topology.TopologySettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Throughput of one real stream thread against a real broker: change events are loaded into the
 * change topics first, then the production topology starts with one stream thread and the clock
 * runs from the moment it is RUNNING until its committed offsets reach the end of every change
 * topic and of its repartition topic. Everything a running orchestrator's topology does per event
 * is in the figure: fetching, parsing, routing, the repartition topic's produce and fetch, the
 * debouncer, its changelogs, and exactly-once commits.
 */
@Command(
        name = "throughput",
        mixinStandardHelpOptions = true,
        description =
                "Change events/s of one real stream thread against a real local broker, from"
                        + " pre-loaded change topics.")
final class ThroughputBenchmark implements Callable<Integer> {

    private static final String PREFIX = "bench";
    private static final Duration DEBOUNCE = Duration.ofSeconds(1);
    private static final Duration MAX_DELAY = Duration.ofSeconds(10);

    @Spec private CommandSpec spec;

    @Option(
            names = "--jobs",
            defaultValue = "100",
            description =
                    "jobs, each reading its own table (one change topic each), default"
                            + " ${DEFAULT-VALUE}")
    private int jobs;

    @Option(
            names = "--events",
            defaultValue = "300000",
            description = "change events of the single-row workload, default ${DEFAULT-VALUE}")
    private int events;

    @Option(
            names = "--multi-row-events",
            defaultValue = "3000000",
            description =
                    "change events of a workload with more than one row per transaction (long"
                            + " enough to time several seconds of it), default ${DEFAULT-VALUE}")
    private int multiRowEvents;

    @Option(
            names = "--rows-per-transaction",
            split = ",",
            defaultValue = "1,1000",
            description = "workloads, each timed --runs times, default ${DEFAULT-VALUE}")
    private List<Integer> rowsPerTransaction;

    @Option(
            names = "--warmup-events",
            defaultValue = "1000000",
            description =
                    "change events of the unreported first runs, one single-row and one of the"
                            + " largest multi-row transactions, so the JIT has compiled the hot"
                            + " paths, per record and per poll, before the timed runs (the JIT"
                            + " column shows what it still compiled during each), default"
                            + " ${DEFAULT-VALUE}")
    private int warmupEvents;

    @Option(
            names = "--runs",
            defaultValue = "3",
            description =
                    "timed runs of each workload over the same loaded topics, each on a fresh"
                            + " application; the table shows the median run and every run's"
                            + " events/s, default ${DEFAULT-VALUE}")
    private int runs;

    @Option(
            names = "--floor",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "also time the largest workload through a topology that reads the change"
                            + " topics and does nothing: Kafka Streams' own cost per record, the"
                            + " floor under the topology's figure (--no-floor to skip), default"
                            + " ${DEFAULT-VALUE}")
    private boolean floor;

    @Option(
            names = "--kafka-property",
            paramLabel = "KEY=VALUE",
            description =
                    "an extra Kafka client property for the topology's clients, as the"
                            + " orchestrator's kafka.properties takes it (repeatable), e.g."
                            + " commit.interval.ms=200 to see what a setting changes")
    private Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(
            names = "--timeout",
            defaultValue = "PT10M",
            description = "longest a run may take to consume its events, default ${DEFAULT-VALUE}")
    private Duration timeout;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (runs < 1) {
            throw new ParameterException(spec.commandLine(), "--runs must be at least 1");
        }
        try {
            StreamsSettings.of(
                    "throughput",
                    new KafkaSettings("127.0.0.1:9092", Map.copyOf(kafkaProperties)),
                    Path.of("."));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--kafka-property: " + e.getMessage());
        }
        var results = new ArrayList<ThroughputRun.Result>();
        try (var broker = KafkaBroker.start()) {
            for (String topic : List.of(Topics.DEFAULT_COMMANDS, Topics.DEFAULT_DLQ)) {
                broker.createTopic(topic, 1);
            }
            var random = new SplittableRandom(42);
            long txId = 1;
            int largest = rowsPerTransaction.stream().mapToInt(rows -> rows).max().orElse(1);
            for (int rows : largest > 1 ? List.of(1, largest) : List.of(1)) {
                if (warmupEvents <= 0) {
                    break;
                }
                var warmup = run(broker, "warmup" + rows, "throughput-warmup-" + rows);
                long total = Math.max(rows, (warmupEvents / rows) * (long) rows);
                var loaded = warmup.preload(random, total, rows, txId);
                txId += loaded.transactions();
                warmup.measure(loaded, timeout);
            }
            for (int rows : rowsPerTransaction) {
                int perTransaction = Math.max(1, rows);
                long total =
                        perTransaction == 1
                                ? events
                                : Math.max(
                                        perTransaction,
                                        (multiRowEvents / perTransaction) * (long) perTransaction);
                var loaded =
                        run(broker, PREFIX + perTransaction, "throughput-load-" + perTransaction)
                                .preload(random, total, perTransaction, txId);
                txId += loaded.transactions();
                var timed = new ArrayList<ThroughputRun.Result>();
                var floors = new ArrayList<ThroughputRun.Result>();
                for (int k = 1; k <= runs; k++) {
                    // The same topics each time, from the start, on an application of its own.
                    String suffix = perTransaction + "-run" + k;
                    timed.add(
                            run(broker, PREFIX + perTransaction, "throughput-" + suffix)
                                    .measure(loaded, timeout));
                    if (floor && perTransaction == largest) {
                        floors.add(
                                run(broker, PREFIX + perTransaction, "throughput-floor-" + suffix)
                                        .measureFloor(loaded, timeout));
                    }
                }
                results.add(ThroughputRun.Result.median(timed));
                if (!floors.isEmpty()) {
                    results.add(ThroughputRun.Result.median(floors));
                }
            }
        }
        print(out, results);
        return 0;
    }

    private ThroughputRun run(KafkaBroker broker, String prefix, String applicationId)
            throws Exception {
        return new ThroughputRun(
                broker,
                prefix,
                jobs,
                graph(prefix, jobs),
                settings(prefix),
                streamsSettings(broker, applicationId));
    }

    private void print(PrintWriter out, List<ThroughputRun.Result> results) {
        out.printf(
                "%nStream thread throughput: production topology, one stream thread, a real"
                        + " local broker (child JVM on the same machine), %,d jobs on %,d change"
                        + " topics, exactly_once_v2, Java %s, %d cores%n%n",
                jobs,
                jobs,
                Runtime.version().feature(),
                Runtime.getRuntime().availableProcessors());
        if (!kafkaProperties.isEmpty()) {
            out.printf("Extra Kafka client properties: %s%n%n", kafkaProperties);
        }
        out.println(
                "| workload | events | transactions | s (RUNNING → committed at the end) |"
                        + " change events/s | transactions/s | CPU s per million events (stream"
                        + " thread; whole process) | JIT compiling during the run, s |"
                        + " records to the repartition topic; to changelogs | events/s of"
                        + " each run |");
        out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (var result : results) {
            out.printf(
                    "| %s | %,d | %,d | %.1f | %,.0f | %,.0f | %.1f; %.1f | %.1f | %,d; %,d | %s |%n",
                    result.label(),
                    result.events(),
                    result.transactions(),
                    result.seconds(),
                    result.events() / result.seconds(),
                    result.transactions() / result.seconds(),
                    result.threadCpuSeconds() * 1e6 / result.events(),
                    result.processCpuSeconds() * 1e6 / result.events(),
                    result.compileSeconds(),
                    result.repartitionRecords(),
                    result.changelogRecords(),
                    result.allRuns());
        }
        out.flush();
    }

    private static TopologySettings settings(String prefix) {
        return TopologySettings.of(prefix, prefix + "-signals", Topics.defaults());
    }

    private StreamsSettings streamsSettings(KafkaBroker broker, String applicationId)
            throws Exception {
        return StreamsSettings.of(
                applicationId,
                new KafkaSettings(broker.bootstrapServers(), Map.copyOf(kafkaProperties)),
                ScratchDirectories.create("throughput-benchmark"));
    }

    private static JobGraph graph(String prefix, int jobs) {
        var policy =
                new JobPolicy(DEBOUNCE, MAX_DELAY, Duration.ofMinutes(30), Duration.ofSeconds(30));
        var specs = new ArrayList<JobSpec>(jobs);
        for (int i = 0; i < jobs; i++) {
            specs.add(
                    JobSpec.refresh(
                            new RelationName("bench", prefix + "_view_" + i),
                            Set.of(new RelationName("bench", "t_" + i)),
                            policy));
        }
        return JobGraph.of(specs);
    }

    static String label(int rows) {
        return rows == 1 ? "single-row transactions" : String.format("%,d-row transactions", rows);
    }
}
