package io.refreshorchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.events.Json;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the results topic for the CLI: every partition, committed records only, as a consumer
 * without a group (nothing committed, no running consumer disturbed), from the end of the topic as
 * it is now or from its beginning.
 */
final class ResultFollower implements AutoCloseable {

    /** One record of the topic: the result, or why it could not be read, and its JSON. */
    record Entry(RefreshResult result, JsonNode json, String unreadable, String where) {}

    private final KafkaConsumer<String, byte[]> consumer;

    private ResultFollower(KafkaConsumer<String, byte[]> consumer) {
        this.consumer = consumer;
    }

    /**
     * @param fromBeginning from the topic's first record, else only what is published from now on
     * @throws CommandFailure exit code 1 when the topic cannot be found within {@code timeout}
     */
    static ResultFollower open(
            KafkaSettings kafka, String topic, boolean fromBeginning, Duration timeout)
            throws CommandFailure {
        Map<String, Object> props = new HashMap<>(kafka.properties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "refresh-orchestrator-cli");
        // a wrong address or topic name must not create a topic on a broker that auto-creates
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        var consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            var infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new CommandFailure(
                        1,
                        "topic "
                                + topic
                                + " (topics.results) does not exist at "
                                + kafka.bootstrapServers()
                                + ": run creates it when it starts");
            }
            var partitions =
                    infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            // resolve the positions now: a result published after this call is seen
            partitions.forEach(p -> consumer.position(p, timeout));
            return new ResultFollower(consumer);
        } catch (CommandFailure e) {
            consumer.close();
            throw e;
        } catch (KafkaException e) {
            consumer.close();
            throw new CommandFailure(1, "cannot read " + topic + ": " + e.getMessage());
        }
    }

    /** The records published since the last call, waiting at most {@code timeout} for one. */
    List<Entry> poll(Duration timeout) {
        var entries = new ArrayList<Entry>();
        for (var record : consumer.poll(timeout)) {
            String where = record.topic() + "-" + record.partition() + "@" + record.offset();
            try {
                JsonNode json = Json.mapper().readTree(record.value());
                RefreshResult result = Topics.RESULT_SERDE.read(record.value());
                if (result == null || result.job() == null) {
                    entries.add(new Entry(null, json, "no job in the record", where));
                } else {
                    entries.add(new Entry(result, json, null, where));
                }
            } catch (IOException | SerializationException | IllegalArgumentException e) {
                entries.add(new Entry(null, null, e.getMessage(), where));
            }
        }
        return entries;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
