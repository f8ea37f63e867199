package io.refreshorchestrator.executor;

import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.config.PostgresSettings;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.events.DeadLetter;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.KafkaBroker;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One executor on topics and a consumer group of its own, running on its own thread, with a plain
 * producer for commands and downstream readers of its results and dead letters.
 */
final class ExecutorHarness implements AutoCloseable {

    final String commandsTopic;
    final String resultsTopic;
    final String groupId;
    final TopicReader<RefreshResult> results;
    final TopicReader<DeadLetter> deadLetters;

    private final KafkaBroker kafka;
    private final KafkaProducer<String, String> producer;
    private final Executor executor;
    private final Thread thread;

    ExecutorHarness(
            KafkaBroker kafka,
            PostgresSettings postgres,
            JobGraph jobs,
            ExecutorSettings settings,
            Map<String, String> resultsTopicConfig) {
        this.kafka = kafka;
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        this.commandsTopic = "executor-it-commands-" + suffix;
        this.resultsTopic = "executor-it-results-" + suffix;
        String dlqTopic = "executor-it-dlq-" + suffix;
        this.groupId = "executor-it-" + suffix;
        kafka.createTopic(commandsTopic, 1);
        kafka.createTopic(resultsTopic, 1, resultsTopicConfig);
        kafka.createTopic(dlqTopic, 1);
        this.producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                                        StringSerializer.class));
        this.results =
                new TopicReader<>(kafka.bootstrapServers(), resultsTopic, Topics.RESULT_SERDE);
        this.deadLetters =
                new TopicReader<>(kafka.bootstrapServers(), dlqTopic, Topics.DEAD_LETTER_SERDE);
        this.executor =
                Executor.create(
                        KafkaSettings.of(kafka.bootstrapServers()),
                        postgres,
                        Topics.named(commandsTopic, resultsTopic, dlqTopic),
                        jobs,
                        settings.withGroupId(groupId));
        this.thread = new Thread(executor, "executor-under-test");
        thread.start();
    }

    /** A timeout multiplied by {@code it.timeout.factor}, as the local stack scales its own. */
    static Duration scaled(Duration timeout) {
        double factor = Double.parseDouble(System.getProperty("it.timeout.factor", "1"));
        return Duration.ofMillis((long) (timeout.toMillis() * factor));
    }

    /** Publishes a command as any client would, and returns where it landed. */
    RecordMetadata send(String key, String value) {
        try {
            return producer.send(new ProducerRecord<>(commandsTopic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish a command", e.getCause());
        }
    }

    /** The group's committed offset on the commands partition, -1 when none. */
    long committedOffset() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                kafka.admin()
                        .listConsumerGroupOffsets(groupId)
                        .partitionsToOffsetAndMetadata()
                        .get();
        OffsetAndMetadata offset = offsets.get(new TopicPartition(commandsTopic, 0));
        return offset == null ? -1 : offset.offset();
    }

    boolean executorAlive() {
        return thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        executor.close();
        thread.join(scaled(Duration.ofSeconds(30)).toMillis());
        producer.close();
        results.close();
        deadLetters.close();
    }
}
