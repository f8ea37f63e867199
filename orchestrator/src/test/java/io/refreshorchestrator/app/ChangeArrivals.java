package io.refreshorchestrator.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * When change events reach the change topics, as seen by a consumer that reconnects fast (the
 * broker may be killed under it): the moment capture delivers again after an outage.
 */
final class ChangeArrivals implements AutoCloseable {

    private final List<Instant> arrivals = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    /** Reads {@code topics} (which must exist) from their beginning. */
    ChangeArrivals(String bootstrapServers, List<String> topics) {
        var consumer =
                new KafkaConsumer<>(
                        Map.<String, Object>of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.CLIENT_ID_CONFIG,
                                "change-arrivals-" + UUID.randomUUID(),
                                ConsumerConfig.RECONNECT_BACKOFF_MS_CONFIG,
                                20,
                                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
                                100,
                                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                                50),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        var partitions = new ArrayList<TopicPartition>();
        for (var topic : topics) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread =
                new Thread(
                        () -> {
                            try (consumer) {
                                while (running.get()) {
                                    var records = consumer.poll(Duration.ofMillis(50));
                                    if (!records.isEmpty()) {
                                        arrivals.add(Instant.now());
                                    }
                                }
                            }
                        },
                        "change-arrivals");
        thread.setDaemon(true);
        thread.start();
    }

    /** When the first change event that arrived after {@code instant} arrived. */
    Optional<Instant> firstAfter(Instant instant) {
        return arrivals.stream().filter(at -> at.isAfter(instant)).findFirst();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
