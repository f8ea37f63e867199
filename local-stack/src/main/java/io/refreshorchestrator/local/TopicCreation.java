package io.refreshorchestrator.local;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates a topic and waits until every partition has a leader, so that the first producer does not
 * meet "unknown topic or partition".
 */
final class TopicCreation {

    private static final int DESCRIBE_TIMEOUT_MS = 2_000;

    private TopicCreation() {}

    static void create(
            Admin admin, NewTopic topic, Duration timeout, Supplier<String> diagnostics) {
        String name = topic.name();
        try {
            admin.createTopics(List.of(topic))
                    .all()
                    .get(Poll.scaled(timeout).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "Cannot create topic " + name + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Timed out creating topic " + name + "\n" + diagnostics.get(), e);
        }
        var describe = new DescribeTopicsOptions().timeoutMs(DESCRIBE_TIMEOUT_MS);
        Poll.until(
                "every partition of topic " + name + " to have a leader",
                timeout,
                () ->
                        admin
                                .describeTopics(List.of(name), describe)
                                .allTopicNames()
                                .get()
                                .get(name)
                                .partitions()
                                .stream()
                                .allMatch(partition -> partition.leader() != null),
                diagnostics);
    }
}
