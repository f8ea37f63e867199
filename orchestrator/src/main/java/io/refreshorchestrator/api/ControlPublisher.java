package io.refreshorchestrator.api;

import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.events.JobControl;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes one record of the CLI (a pause/resume control, a manual refresh command), after
 * checking that the broker answers and that the control topic exists (the orchestrator creates it
 * at start), so that each failure is one clear line.
 */
final class ControlPublisher {

    private ControlPublisher() {}

    /**
     * @throws CommandFailure exit code 1 when the broker does not answer, the topic is missing or
     *     the record is not acknowledged in time
     */
    static void publish(KafkaSettings kafka, String topic, JobControl control)
            throws CommandFailure, InterruptedException {
        publish(kafka, topic, "topics.control", control.job(), JobControl.SERDE.write(control));
    }

    /**
     * Publishes {@code value} keyed by {@code key} to {@code topic}, which the configuration key
     * {@code topicKey} names.
     *
     * @throws CommandFailure exit code 1 when the broker does not answer, the topic is missing or
     *     the record is not acknowledged in time
     */
    static void publish(
            KafkaSettings kafka, String topic, String topicKey, String key, byte[] value)
            throws CommandFailure, InterruptedException {
        CliKafka.requireReachable(kafka);
        long timeoutMs = CliKafka.WAIT.toMillis();
        Map<String, Object> props = new HashMap<>(kafka.properties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        requireTopic(props, topic, topicKey, kafka.bootstrapServers(), timeoutMs);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        try (var producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value))
                    .get(timeoutMs * 3, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            var cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new CommandFailure(1, "could not publish to " + topic + ": " + cause);
        }
    }

    private static void requireTopic(
            Map<String, Object> props,
            String topic,
            String topicKey,
            String address,
            long timeoutMs)
            throws CommandFailure, InterruptedException {
        try (var admin = Admin.create(props)) {
            admin.describeTopics(
                            List.of(topic), new DescribeTopicsOptions().timeoutMs((int) timeoutMs))
                    .allTopicNames()
                    .get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new CommandFailure(
                        1,
                        "topic "
                                + topic
                                + " ("
                                + topicKey
                                + ") does not exist at "
                                + address
                                + ": run creates it when it starts, so start the orchestrator"
                                + " first (or check "
                                + topicKey
                                + ")");
            }
            throw new CommandFailure(1, "cannot look up topic " + topic + ": " + e.getCause());
        }
    }
}
