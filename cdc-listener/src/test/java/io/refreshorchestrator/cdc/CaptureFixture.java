package io.refreshorchestrator.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.config.PostgresSettings;
import io.refreshorchestrator.config.Secret;
import io.refreshorchestrator.local.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One integration test's isolated world on the shared stack: its own database, topic prefix, slot,
 * publication, offsets and signals topics; listeners started through it are closed and its slots
 * dropped by {@link #close()}.
 */
final class CaptureFixture implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Integration-test timeouts scale with {@code it.timeout.factor} (slow CI machines). */
    static final double TIMEOUT_FACTOR =
            Double.parseDouble(System.getProperty("it.timeout.factor", "1"));

    final LocalStack stack;
    final String database;
    final String id;
    final Secret password = Secret.of("pw-" + UUID.randomUUID());
    private final List<CdcListener> listeners = new ArrayList<>();

    CaptureFixture(LocalStack stack, String name) {
        this.stack = stack;
        this.database = stack.postgres().createDatabase(name);
        this.id = name + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Duration timeout(int seconds) {
        return Duration.ofMillis((long) (seconds * 1000 * TIMEOUT_FACTOR));
    }

    CdcSettings.Builder settings(String... tables) {
        var postgres =
                new PostgresSettings(
                        stack.postgres().host(),
                        stack.postgres().port(),
                        database,
                        stack.postgres().user(),
                        password, // trust authentication ignores it; it must never be logged
                        Map.of());
        return CdcSettings.builder(postgres, KafkaSettings.of(stack.kafka().bootstrapServers()))
                .tables(tables)
                .topicPrefix(id)
                .slotName(id)
                .publicationName(id + "_pub")
                .offsetsTopic(id + "-offsets")
                .signalsTopic(id + "-signals")
                .engineName(id + "-engine")
                .heartbeatInterval(Duration.ofSeconds(1))
                .offsetFlushInterval(Duration.ofMillis(200));
    }

    /** Starts a listener, closed by {@link #close()} at the latest. */
    CdcListener start(CdcSettings settings) {
        var listener = new CdcListener(settings);
        listeners.add(listener);
        listener.start();
        return listener;
    }

    void sql(String... statements) {
        try (var connection = connect();
                var statement = connection.createStatement()) {
            for (var sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
        }
    }

    Connection connect() throws SQLException {
        return stack.postgres().connect(database);
    }

    /** Every record of {@code topic} so far (reads from the beginning to the current end). */
    List<ConsumerRecord<String, String>> records(String topic) {
        var props =
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        stack.kafka().bootstrapServers(),
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                        StringDeserializer.class,
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                        StringDeserializer.class,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                        false);
        try (var consumer = new KafkaConsumer<String, String>(props)) {
            var partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(info -> new TopicPartition(topic, info.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            var records = new ArrayList<ConsumerRecord<String, String>>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }

    /** The values of {@code topic}, parsed. */
    List<JsonNode> values(String topic) {
        return records(topic).stream().map(record -> parse(record.value())).toList();
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean topicExists(String topic) throws Exception {
        return stack.kafka().admin().listTopics().names().get().contains(topic);
    }

    @Override
    public void close() {
        listeners.forEach(CdcListener::close);
        // Slots pin WAL on the shared server: drop ours.
        try (var connection = connect();
                var statement =
                        connection.prepareStatement(
                                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                                        + " WHERE database = current_database() AND NOT active")) {
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop the test's replication slots", e);
        }
    }
}
