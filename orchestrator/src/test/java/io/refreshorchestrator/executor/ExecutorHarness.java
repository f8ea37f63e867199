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
    TopicReader<RefreshResult> results;
    TopicReader<DeadLetter> deadLetters;

    private final KafkaBroker kafka;
    private final JobGraph jobs;
    private final String suffix;
    private final String dlqTopic;
    private final PostgresSettings postgres;
    private final ExecutorSettings settings;
    private final Map<String, String> env;
    private final KafkaProducer<String, String> producer;
    private Executor executor;
    private Thread thread;

    ExecutorHarness(
            KafkaBroker kafka,
            PostgresSettings postgres,
            JobGraph jobs,
            ExecutorSettings settings,
            Map<String, String> resultsTopicConfig) {
        this(kafka, postgres, jobs, settings, resultsTopicConfig, 1, Map.of());
    }

    /**
     * An executor on new topics ({@code partitions} for commands) and a new group, with {@code env}
     * as its environment.
     */
    ExecutorHarness(
            KafkaBroker kafka,
            PostgresSettings postgres,
            JobGraph jobs,
            ExecutorSettings settings,
            Map<String, String> resultsTopicConfig,
            int partitions,
            Map<String, String> env) {
        this(kafka, postgres, jobs, settings, resultsTopicConfig, partitions, env, true);
    }

    /** As above; when {@code startNow} is false, {@link #start()} starts the executor later. */
    ExecutorHarness(
            KafkaBroker kafka,
            PostgresSettings postgres,
            JobGraph jobs,
            ExecutorSettings settings,
            Map<String, String> resultsTopicConfig,
            int partitions,
            Map<String, String> env,
            boolean startNow) {
        this(kafka, postgres, jobs, settings, UUID.randomUUID().toString().substring(0, 8), env);
        kafka.createTopic(commandsTopic, partitions);
        kafka.createTopic(resultsTopic, 1, resultsTopicConfig);
        kafka.createTopic(dlqTopic, 1);
        if (startNow) {
            start();
        }
    }

    /** A second executor instance in the same group, on the same topics, as {@code first}. */
    ExecutorHarness(ExecutorHarness first, PostgresSettings postgres, ExecutorSettings settings) {
        this(first.kafka, postgres, first.jobs, settings, first.suffix, Map.of());
        start();
    }

    private ExecutorHarness(
            KafkaBroker kafka,
            PostgresSettings postgres,
            JobGraph jobs,
            ExecutorSettings settings,
            String suffix,
            Map<String, String> env) {
        this.kafka = kafka;
        this.jobs = jobs;
        this.suffix = suffix;
        this.commandsTopic = "executor-it-commands-" + suffix;
        this.resultsTopic = "executor-it-results-" + suffix;
        this.dlqTopic = "executor-it-dlq-" + suffix;
        this.groupId = "executor-it-" + suffix;
        this.postgres = postgres;
        this.settings = settings;
        this.env = env;
        this.producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                                        StringSerializer.class));
    }

    void start() {
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
                        settings.withGroupId(groupId),
                        env::get);
        this.thread = new Thread(executor, "executor-under-test-" + suffix);
        thread.start();
    }

    /** A timeout multiplied by {@code it.timeout.factor}, as the local stack scales its own. */
    static Duration scaled(Duration timeout) {
        double factor = Double.parseDouble(System.getProperty("it.timeout.factor", "1"));
        return Duration.ofMillis((long) (timeout.toMillis() * factor));
    }

    /** Publishes a command as any client would, and returns where it landed. */
    RecordMetadata send(String key, String value) {
        return send(null, key, value);
    }

    /** Publishes a command to {@code partition} (null: the producer's choice). */
    RecordMetadata send(Integer partition, String key, String value) {
        try {
            return producer.send(new ProducerRecord<>(commandsTopic, partition, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish a command", e.getCause());
        }
    }

    /** Publishes without waiting for the acknowledgement; {@link #flush} waits for all. */
    void sendAsync(String key, String value) {
        producer.send(new ProducerRecord<>(commandsTopic, key, value));
    }

    void flush() {
        producer.flush();
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
        producer.close();
        if (executor == null) {
            return;
        }
        executor.close();
        thread.join(scaled(Duration.ofSeconds(30)).toMillis());
        results.close();
        deadLetters.close();
    }
}
