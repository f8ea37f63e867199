package io.refreshorchestrator.benchmark;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * What {@link org.apache.kafka.streams.TopologyTestDriver} itself costs per input record: the same
 * events through a topology that reads the same topics by the same kind of pattern and does
 * nothing. The driver matches every piped record against the source patterns and commits after each
 * one, which a running stream thread does not (it commits every 100 ms); the figure bounds what
 * {@code debounce} can measure, whatever the topology costs.
 */
final class HarnessBaseline {

    /** Throughput and stream-thread CPU of the empty topology. */
    record Result(long events, double seconds, double cpuSeconds) {}

    private HarnessBaseline() {}

    static Result measure(Pattern changeTopics, List<String> topics, int events, Properties props)
            throws Exception {
        var builder = new StreamsBuilder();
        builder.stream(changeTopics, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .process(
                        () ->
                                new Processor<byte[], byte[], Void, Void>() {
                                    @Override
                                    public void process(Record<byte[], byte[]> record) {}
                                });
        var start = Instant.parse("2026-03-02T10:00:00Z");
        props.put(
                org.apache.kafka.streams.StreamsConfig.STATE_DIR_CONFIG,
                ScratchDirectories.create("harness-baseline").toString());
        try (var driver = new TopologyTestDriver(builder.build(), props, start)) {
            List<TestInputTopic<byte[], byte[]>> inputs = new ArrayList<>();
            for (String topic : topics) {
                inputs.add(
                        driver.createInputTopic(
                                topic, new ByteArraySerializer(), new ByteArraySerializer()));
            }
            var random = new SplittableRandom(42);
            var bench = new BenchEvents();
            var threads = ManagementFactory.getThreadMXBean();
            long cpuStarted = threads.getCurrentThreadCpuTime();
            long started = System.nanoTime();
            for (long i = 0; i < events; i++) {
                int table = random.nextInt(inputs.size());
                inputs.get(table).pipeInput(BenchEvents.KEY, bench.insert(table, i, start), start);
            }
            return new Result(
                    events,
                    (System.nanoTime() - started) / 1e9,
                    (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9);
        }
    }
}
