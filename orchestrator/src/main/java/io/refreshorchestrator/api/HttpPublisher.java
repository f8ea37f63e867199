package io.refreshorchestrator.api;

import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.events.JobControl;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.Topics;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes what an operator asks through the HTTP API: a manual {@link RefreshCommand} to the
 * commands topic, or a {@link JobControl} (pause, resume) to the control topic, keyed by the job,
 * exactly as the CLI and any other client do.
 */
final class HttpPublisher implements AutoCloseable {

    private static final long SEND_TIMEOUT_SECONDS = 10;

    private final KafkaProducer<String, byte[]> producer;
    private final String commandsTopic;
    private final String controlTopic;
    private final String deployment;
    private final Clock clock;

    HttpPublisher(
            KafkaSettings kafka,
            String commandsTopic,
            String controlTopic,
            String deployment,
            Clock clock) {
        Map<String, Object> props = new HashMap<>(kafka.properties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "refresh-orchestrator-http");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, SEND_TIMEOUT_SECONDS * 1000);
        this.producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.commandsTopic = commandsTopic;
        this.controlTopic = controlTopic;
        this.deployment = deployment;
        this.clock = clock;
    }

    /** The producer, for its client metrics only (a producer is thread-safe). */
    KafkaProducer<String, byte[]> producer() {
        return producer;
    }

    /** Publishes a manual refresh of {@code job}; returns its command id. */
    UUID refresh(String job, String requestedBy) throws InterruptedException {
        var command =
                RefreshCommand.of(
                        UUID.randomUUID(), job, Reason.MANUAL, clock.instant(), requestedBy, null);
        send(commandsTopic, job, Topics.COMMAND_SERDE.write(command));
        return command.id();
    }

    void control(String job, JobControl.Action action, String requestedBy)
            throws InterruptedException {
        var control = JobControl.of(job, action, clock.instant(), requestedBy, deployment);
        send(controlTopic, job, JobControl.SERDE.write(control));
    }

    private void send(String topic, String key, byte[] value) throws InterruptedException {
        try {
            producer.send(new ProducerRecord<>(topic, key, value))
                    .get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish to " + topic + ": " + e, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
