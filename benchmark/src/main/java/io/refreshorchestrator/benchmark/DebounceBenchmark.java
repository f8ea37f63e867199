package io.refreshorchestrator.benchmark;

import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobPolicy;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.topology.RefreshTopology;
import io.refreshorchestrator.topology.StreamsSettings;
import io.refreshorchestrator.topology.TopologySettings;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Throughput and heap of the debouncer with many jobs: the real topology (parse, route,
 * repartition, debounce, stores with changelogs, the production Kafka Streams configuration) in a
 * {@link TopologyTestDriver}, which runs it on one thread with no broker, like one stream thread
 * whose I/O is free. The figures are therefore an upper bound on what one stream thread does, and a
 * fair measure of the debouncer's own cost.
 */
@Command(
        name = "debounce",
        mixinStandardHelpOptions = true,
        description = "Debouncer throughput (change events/s on one thread) and heap per job.")
final class DebounceBenchmark implements Callable<Integer> {

    private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    private static final String PREFIX = "bench";
    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration DEBOUNCE = Duration.ofSeconds(1);
    private static final Duration MAX_DELAY = Duration.ofSeconds(10);

    @Spec private CommandSpec spec;

    @Option(
            names = "--jobs",
            defaultValue = "10000",
            description = "jobs (views), default ${DEFAULT-VALUE}")
    private int jobs;

    @Option(
            names = "--events",
            defaultValue = "300000",
            description = "change events in the timed run, default ${DEFAULT-VALUE}")
    private int events;

    @Option(
            names = "--rows-per-transaction",
            split = ",",
            defaultValue = "1,1000",
            description =
                    "workloads, one timed run each: rows (change events) per transaction, each"
                            + " transaction on one job's table, default ${DEFAULT-VALUE}")
    private List<Integer> rowsPerTransaction;

    @Option(
            names = "--multi-row-events",
            defaultValue = "3000000",
            description =
                    "change events in the timed run of a workload with more than one row per"
                            + " transaction, default ${DEFAULT-VALUE}")
    private int multiRowEvents;

    @Option(
            names = "--events-per-tick",
            defaultValue = "2000",
            description =
                    "events between two wall-clock punctuations (100 ms apart), default"
                            + " ${DEFAULT-VALUE}: 20,000 events/s of simulated load")
    private int eventsPerTick;

    @Option(
            names = "--pacing",
            description =
                    "give every job leading edge and a 25% refresh budget, so each keeps its last"
                            + " command time (default: plain debounce)")
    private boolean pacing;

    private TopologyTestDriver driver;
    private Instant now = START;
    private final List<TestInputTopic<byte[], byte[]>> inputs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        var graph = graph(jobs, pacing);
        var settings =
                TopologySettings.of(PREFIX, "bench-signals", Topics.defaults())
                        .withJobPartitions(1);
        driver = new TopologyTestDriver(RefreshTopology.build(graph, settings), props(), START);
        for (int i = 0; i < jobs; i++) {
            inputs.add(
                    driver.createInputTopic(
                            PREFIX + ".bench.t_" + i,
                            new ByteArraySerializer(),
                            new ByteArraySerializer()));
        }
        // the first punctuation reconciles the schedules of every job: not part of what we time
        advance(TICK);
        drain();
        long heapEmpty = usedHeapAfterGc();

        // warm-up, which also leaves (nearly) every job idle after a command
        var random = new SplittableRandom(42);
        for (int i = 0; i < Math.max(50_000, jobs * 5); i++) {
            pipe(random.nextInt(jobs));
            if (i % eventsPerTick == 0) {
                advance(TICK);
                drain();
            }
        }
        advance(MAX_DELAY.plusSeconds(1));
        drain();
        long heapIdle = usedHeapAfterGc();

        // every job pending: one change each
        for (int i = 0; i < jobs; i++) {
            pipe(i);
        }
        drain();
        long heapPending = usedHeapAfterGc();

        // punctuations while nothing is due (9 ticks < the 1 s debounce)
        long started = System.nanoTime();
        for (int i = 0; i < 9; i++) {
            advance(TICK);
        }
        double idlePunctuationMillis = seconds(started) * 1000 / 9;
        // the punctuation at which all of them are due
        started = System.nanoTime();
        advance(TICK.multipliedBy(2));
        double duePunctuationMillis = seconds(started) * 1000;
        int emitted = drain();

        var runs = new ArrayList<TimedRun>();
        for (int rows : rowsPerTransaction) {
            runs.add(timedRun(random, Math.max(1, rows)));
        }
        driver.close();
        var topicNames = new ArrayList<String>();
        for (int i = 0; i < jobs; i++) {
            topicNames.add(PREFIX + ".bench.t_" + i);
        }
        var harness = HarnessBaseline.measure(settings.changeTopics(), topicNames, events, props());

        out.printf(
                "Debouncer benchmark: %,d jobs (%s), TopologyTestDriver (one thread, no broker"
                        + " I/O), exactly_once_v2, Java %s, %d cores%n%n",
                jobs,
                pacing ? "leading edge, 25% budget" : "plain debounce",
                Runtime.version().feature(),
                Runtime.getRuntime().availableProcessors());
        out.println("| measure | value |");
        out.println("| --- | --- |");
        for (TimedRun run : runs) {
            out.printf(
                    "| %s: change events/s per stream thread | %,.0f (%,d events in %.1f s) |%n",
                    run.label(), run.events() / run.seconds(), run.events(), run.seconds());
            out.printf(
                    "| %s: transactions/s per stream thread | %,.0f |%n",
                    run.label(), run.transactions() / run.seconds());
            out.printf(
                    "| %s: CPU s per million change events (stream thread; whole process) |"
                            + " %.1f; %.1f |%n",
                    run.label(),
                    run.threadCpuSeconds() * 1e6 / run.events(),
                    run.processCpuSeconds() * 1e6 / run.events());
        }
        out.printf(
                "| the driver alone, no-op topology over the same topics: change events/s;"
                        + " CPU s per million | %,.0f; %.1f |%n",
                harness.events() / harness.seconds(),
                harness.cpuSeconds() * 1e6 / harness.events());
        out.printf(
                "| heap, %,d jobs each with a change pending (over idle) | %.1f MiB (%,d bytes/job) |%n",
                jobs, mib(heapPending - heapIdle), (heapPending - heapIdle) / jobs);
        out.printf(
                "| heap, %,d idle jobs, each commanded before | %.1f MiB (%,d bytes/job) |%n",
                jobs, mib(heapIdle - heapEmpty), (heapIdle - heapEmpty) / jobs);
        if (!pacing) { // with the leading edge, idle jobs' first changes are all due at once
            out.printf(
                    "| punctuation, %,d pending, none due | %.2f ms |%n",
                    jobs, idlePunctuationMillis);
            out.printf(
                    "| punctuation, %,d due (%,d commands) | %.0f ms |%n",
                    jobs, emitted, duePunctuationMillis);
        }
        out.flush();
        return 0;
    }

    /** What one workload's timed run measured. */
    private record TimedRun(
            String label,
            long events,
            long transactions,
            double seconds,
            double threadCpuSeconds,
            double processCpuSeconds) {}

    /**
     * Transactions of {@code rows} events each, every one on a random job's table, back to back as
     * Debezium emits them (one transaction's events are consecutive in its table's topic); a
     * punctuation every {@link #eventsPerTick} events.
     */
    private TimedRun timedRun(SplittableRandom random, int rows) throws InterruptedException {
        long total = rows == 1 ? events : Math.max(rows, (multiRowEvents / rows) * (long) rows);
        usedHeapAfterGc(); // start from a collected heap: the run's GC is the run's cost
        long cpuStarted = threadCpuNanos();
        long processCpuStarted = processCpuNanos();
        long started = System.nanoTime();
        long transactions = 0;
        long sent = 0;
        while (sent < total) {
            int job = random.nextInt(jobs);
            long txId = nextTxId++;
            for (int row = 0; row < rows; row++) {
                pipe(job, txId);
                if (++sent % eventsPerTick == 0) {
                    advance(TICK);
                    drain();
                }
            }
            transactions++;
        }
        double runSeconds = seconds(started);
        double cpuSeconds = (threadCpuNanos() - cpuStarted) / 1e9;
        double processCpuSeconds = (processCpuNanos() - processCpuStarted) / 1e9;
        advance(MAX_DELAY.plusSeconds(1));
        drain();
        String label =
                rows == 1 ? "single-row transactions" : String.format("%,d-row transactions", rows);
        return new TimedRun(label, total, transactions, runSeconds, cpuSeconds, processCpuSeconds);
    }

    private static long threadCpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** CPU of the whole JVM (the stream thread, GC, JIT), as an operator would see it. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static JobGraph graph(int jobs, boolean pacing) {
        var plain =
                new JobPolicy(DEBOUNCE, MAX_DELAY, Duration.ofMinutes(30), Duration.ofSeconds(30));
        var policy = pacing ? plain.withPacing(0.25, true) : plain;
        var specs = new ArrayList<JobSpec>(jobs);
        for (int i = 0; i < jobs; i++) {
            specs.add(
                    JobSpec.refresh(
                            new RelationName("bench", "view_" + i),
                            Set.of(new RelationName("bench", "t_" + i)),
                            policy));
        }
        return JobGraph.of(specs);
    }

    private final BenchEvents eventSource = new BenchEvents();
    private long nextTxId = 1;

    /** One change in its own transaction. */
    private void pipe(int job) {
        pipe(job, nextTxId++);
    }

    private void pipe(int job, long txId) {
        inputs.get(job).pipeInput(BenchEvents.KEY, eventSource.insert(job, txId, now), now);
    }

    private void advance(Duration duration) {
        now = now.plus(duration);
        driver.advanceWallClockTime(duration);
    }

    /** Reads away what the topology produced (the driver keeps it); returns the commands. */
    private int drain() {
        int commands = 0;
        for (String topic : driver.producedTopicNames()) {
            var output =
                    driver.createOutputTopic(
                            topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            int read = 0;
            while (!output.isEmpty()) {
                output.readRecord();
                read++;
            }
            if (topic.equals(Topics.DEFAULT_COMMANDS)) {
                commands += read;
            }
        }
        return commands;
    }

    /** The production Kafka Streams configuration ({@link StreamsSettings}), with no broker. */
    private static Properties props() throws Exception {
        return StreamsSettings.of(
                        "debounce-benchmark",
                        new KafkaSettings("unused:9092", Map.of()),
                        ScratchDirectories.create("debounce-benchmark"))
                .toProperties();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100); // let the collector finish; a benchmark, not a test
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
