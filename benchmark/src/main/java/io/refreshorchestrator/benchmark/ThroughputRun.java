package io.refreshorchestrator.benchmark;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.local.KafkaBroker;
import io.refreshorchestrator.topology.RefreshTopology;
import io.refreshorchestrator.topology.StreamsSettings;
import io.refreshorchestrator.topology.TopologySettings;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * One workload of {@link ThroughputBenchmark}: its change topics loaded, then the topology run on a
 * fresh application id until its committed offsets reach the end.
 */
final class ThroughputRun {

    /** What one run measured. */
    record Result(
            String label,
            long events,
            long transactions,
            double seconds,
            double threadCpuSeconds,
            double processCpuSeconds,
            double compileSeconds,
            long repartitionRecords,
            long changelogRecords,
            String allRuns) {

        double eventsPerSecond() {
            return events / seconds;
        }

        /** The run with the median events/s (the lower middle one of an even count). */
        static Result median(List<Result> runs) {
            var sorted = new ArrayList<>(runs);
            sorted.sort(Comparator.comparingDouble(Result::eventsPerSecond));
            var each = new StringJoiner("; ");
            for (Result run : runs) {
                each.add(String.format("%,.0f", run.eventsPerSecond()));
            }
            Result middle = sorted.get((sorted.size() - 1) / 2);
            return new Result(
                    middle.label,
                    middle.events,
                    middle.transactions,
                    middle.seconds,
                    middle.threadCpuSeconds,
                    middle.processCpuSeconds,
                    middle.compileSeconds,
                    middle.repartitionRecords,
                    middle.changelogRecords,
                    each.toString());
        }
    }

    /** What {@link #preload} wrote. */
    record Loaded(int rowsPerTransaction, long events, long transactions) {}

    private static final Duration POLL = Duration.ofMillis(50);

    private final KafkaBroker broker;
    private final String prefix;
    private final int tables;
    private final JobGraph graph;
    private final TopologySettings settings;
    private final StreamsSettings streamsSettings;

    ThroughputRun(
            KafkaBroker broker,
            String prefix,
            int tables,
            JobGraph graph,
            TopologySettings settings,
            StreamsSettings streamsSettings) {
        this.broker = broker;
        this.prefix = prefix;
        this.tables = tables;
        this.graph = graph;
        this.settings = settings;
        this.streamsSettings = streamsSettings;
    }

    /**
     * Creates the change topics and writes {@code total} insert events into them, transactions of
     * {@code rows} consecutive events on a random table each, as Debezium would.
     */
    Loaded preload(SplittableRandom random, long total, int rows, long firstTxId) throws Exception {
        for (int i = 0; i < tables; i++) {
            // one by one, each waiting for its leader: a send to a partition still electing one
            // can leave an idempotent producer retrying out-of-order sequences for good
            broker.createTopic(topic(i), 1);
        }
        var events = new BenchEvents();
        long transactions = 0;
        long sent = 0;
        long txId = firstTxId;
        var failed = new AtomicReference<Exception>();
        try (var producer =
                new KafkaProducer<>(
                        Map.<String, Object>of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                broker.bootstrapServers(),
                                ProducerConfig.LINGER_MS_CONFIG,
                                20,
                                ProducerConfig.BATCH_SIZE_CONFIG,
                                512 * 1024),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            while (sent < total) {
                int table = random.nextInt(tables);
                Instant committedAt = Instant.now();
                for (int row = 0; row < rows && sent < total; row++, sent++) {
                    producer.send(
                            new ProducerRecord<>(
                                    topic(table),
                                    null,
                                    committedAt.toEpochMilli(),
                                    BenchEvents.KEY,
                                    events.insert(table, txId, committedAt)),
                            (metadata, error) -> {
                                if (error != null) {
                                    failed.compareAndSet(null, error);
                                }
                            });
                }
                txId++;
                transactions++;
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("could not load the change topics", failed.get());
        }
        return new Loaded(rows, total, transactions);
    }

    /** Runs the topology with one stream thread until it has consumed every loaded event. */
    Result measure(Loaded loaded, Duration timeout) throws Exception {
        return measure(
                loaded,
                timeout,
                RefreshTopology.build(graph, settings),
                ThroughputBenchmark.label(loaded.rowsPerTransaction()));
    }

    /**
     * Runs a topology that only reads the change topics and does nothing with a record, with the
     * same settings and commits: what Kafka Streams itself costs per record, the floor under any
     * topology's figure.
     */
    Result measureFloor(Loaded loaded, Duration timeout) throws Exception {
        var topology = new Topology();
        var topics = new String[tables];
        for (int i = 0; i < tables; i++) {
            topics[i] = topic(i);
        }
        topology.addSource(
                "changes", new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics);
        topology.addProcessor("nothing", Nothing::new, "changes");
        return measure(
                loaded,
                timeout,
                topology,
                ThroughputBenchmark.label(loaded.rowsPerTransaction())
                        + ", a topology that does nothing (Kafka Streams' floor)");
    }

    private Result measure(Loaded loaded, Duration timeout, Topology topology, String label)
            throws Exception {
        var runningAt = new AtomicLong();
        var threadCpuAtStart = new AtomicLong(-1);
        var processCpuAtStart = new AtomicLong();
        var compileMillisAtStart = new AtomicLong();
        String applicationId = streamsSettings.applicationId();
        var streams = new KafkaStreams(topology, streamsSettings.toProperties());
        streams.setStateListener(
                (next, previous) -> {
                    if (next == KafkaStreams.State.RUNNING && runningAt.get() == 0) {
                        processCpuAtStart.set(processCpuNanos());
                        compileMillisAtStart.set(compileMillis());
                        threadCpuAtStart.set(streamThreadCpuNanos(applicationId));
                        runningAt.set(System.nanoTime());
                    }
                });
        streams.start();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            Admin admin = broker.admin();
            List<TopicPartition> changes = new ArrayList<>();
            for (int i = 0; i < tables; i++) {
                changes.add(new TopicPartition(topic(i), 0));
            }
            Map<TopicPartition, Long> changeEnds = GroupOffsets.ends(admin, changes);
            String repartition =
                    applicationId + "-" + RefreshTopology.CHANGES_BY_JOB + "-repartition";
            long finishedAt;
            while (true) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "not consumed within "
                                    + timeout
                                    + ": "
                                    + GroupOffsets.committed(admin, applicationId));
                }
                Map<TopicPartition, Long> committed = GroupOffsets.committed(admin, applicationId);
                if (runningAt.get() != 0 && GroupOffsets.reached(committed, changeEnds)) {
                    var repartitionParts = new ArrayList<TopicPartition>();
                    if (admin.listTopics().names().get().contains(repartition)) {
                        for (int p = 0; p < settings.jobPartitions(); p++) {
                            repartitionParts.add(new TopicPartition(repartition, p));
                        }
                    }
                    if (GroupOffsets.reached(
                            committed, GroupOffsets.ends(admin, repartitionParts))) {
                        finishedAt = System.nanoTime();
                        break;
                    }
                }
                Thread.sleep(POLL.toMillis()); // a benchmark's poll loop, not a test
            }
            long threadCpu = streamThreadCpuNanos(applicationId) - threadCpuAtStart.get();
            long processCpu = processCpuNanos() - processCpuAtStart.get();
            long compile = compileMillis() - compileMillisAtStart.get();
            return new Result(
                    label,
                    loaded.events(),
                    loaded.transactions(),
                    (finishedAt - runningAt.get()) / 1e9,
                    threadCpu / 1e9,
                    processCpu / 1e9,
                    compile / 1e3,
                    sentTo(streams, repartition::equals),
                    sentTo(streams, topic -> topic.endsWith("-changelog")),
                    "");
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
    }

    /** Takes a record and does nothing with it. */
    private static final class Nothing implements Processor<byte[], byte[], Void, Void> {
        @Override
        public void process(Record<byte[], byte[]> record) {
            // the floor: what reaching here costs
        }
    }

    private String topic(int table) {
        return prefix + ".bench.t_" + table;
    }

    /** Records the application's producers sent to these topics: their own count, no markers. */
    private static long sentTo(KafkaStreams streams, Predicate<String> topics) {
        double sent = 0;
        for (var metric : streams.metrics().entrySet()) {
            var name = metric.getKey();
            if (name.name().equals("record-send-total")
                    && name.group().equals("producer-topic-metrics")
                    && name.tags().get("topic") != null
                    && topics.test(name.tags().get("topic"))) {
                sent += ((Number) metric.getValue().metricValue()).doubleValue();
            }
        }
        return Math.round(sent);
    }

    /** CPU time of the application's one stream thread. */
    private static long streamThreadCpuNanos(String applicationId) {
        var threads = ManagementFactory.getThreadMXBean();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(applicationId)
                    && thread.getName().contains("StreamThread-")) {
                return threads.getThreadCpuTime(thread.getId());
            }
        }
        throw new IllegalStateException("no stream thread of " + applicationId);
    }

    /**
     * Time the JIT compilers have spent so far: what it grew by during a timed run shows whether
     * the run was measured warm (compiler threads take cores from the stream thread and the
     * broker).
     */
    private static long compileMillis() {
        var compilation = ManagementFactory.getCompilationMXBean();
        return compilation != null && compilation.isCompilationTimeMonitoringSupported()
                ? compilation.getTotalCompilationTime()
                : 0;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
