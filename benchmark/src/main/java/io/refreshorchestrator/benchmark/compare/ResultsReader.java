package io.refreshorchestrator.benchmark.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refreshorchestrator.freshness.RefreshRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the orchestrator's results topic (read_committed, from the beginning, no group) and keeps
 * every {@code SUCCEEDED} refresh as a {@link RefreshRun}, plus a count of results by status.
 */
final class ResultsReader implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<RefreshRun> runs = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    ResultsReader(String bootstrapServers, String topic) {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        thread = new Thread(() -> follow(props, topic), "results-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow(Properties props, String topic) {
        try (var consumer = new KafkaConsumer<String, String>(props)) {
            List<TopicPartition> partitions = List.of();
            while (running.get() && partitions.isEmpty()) {
                partitions =
                        consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                                .map(info -> new TopicPartition(topic, info.partition()))
                                .toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running.get()) {
                for (ConsumerRecord<String, String> record :
                        consumer.poll(Duration.ofMillis(100))) {
                    read(record.value());
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read(String value) {
        try {
            JsonNode result = JSON.readTree(value);
            String status = result.path("status").asText();
            statuses.merge(status, 1, Integer::sum);
            if (status.equals("SUCCEEDED")
                    && result.hasNonNull("startedAt")
                    && result.hasNonNull("finishedAt")) {
                runs.add(
                        new RefreshRun(
                                result.path("job").asText(),
                                Micros.of(Instant.parse(result.get("startedAt").asText())),
                                Micros.of(Instant.parse(result.get("finishedAt").asText()))));
            }
        } catch (Exception e) {
            statuses.merge("UNREADABLE", 1, Integer::sum);
        }
    }

    List<RefreshRun> runs() {
        synchronized (runs) {
            return List.copyOf(runs);
        }
    }

    /** Results seen, by status ({@code SUCCEEDED}, {@code SKIPPED}, ...). */
    Map<String, Integer> statuses() {
        return Map.copyOf(statuses);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
