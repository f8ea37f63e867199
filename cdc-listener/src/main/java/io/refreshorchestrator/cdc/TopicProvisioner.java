package io.refreshorchestrator.cdc;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates topics when they are missing; existing ones are kept as they are. Used for the topics the
 * listener writes to, and by the orchestrator for its own.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private TopicProvisioner() {}

    /** The change topics of every captured table, the signals topic and the heartbeat topic. */
    static List<String> topicsFor(CdcSettings settings) {
        var topics = new LinkedHashSet<>(settings.changeTopics());
        topics.add(settings.signalsTopic());
        topics.add(settings.heartbeatTopic());
        return List.copyOf(topics);
    }

    /**
     * Creates each of {@code topics} that does not exist yet.
     *
     * @throws CdcException naming the topic when one cannot be created within {@code timeout}
     */
    public static void ensure(
            Admin admin,
            Collection<String> topics,
            int partitions,
            short replicationFactor,
            Duration timeout)
            throws InterruptedException {
        var newTopics =
                topics.stream()
                        .map(name -> new NewTopic(name, partitions, replicationFactor))
                        .toList();
        var result = admin.createTopics(newTopics);
        for (var entry : result.values().entrySet()) {
            try {
                entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info(
                        "Created topic {} ({} partition(s), replication factor {})",
                        entry.getKey(),
                        partitions,
                        replicationFactor);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new CdcException(
                            "Cannot create Kafka topic '"
                                    + entry.getKey()
                                    + "': "
                                    + e.getCause().getMessage(),
                            e.getCause());
                }
            } catch (TimeoutException e) {
                throw new CdcException(
                        "Timed out creating Kafka topic '" + entry.getKey() + "' after " + timeout,
                        e);
            }
        }
    }
}
