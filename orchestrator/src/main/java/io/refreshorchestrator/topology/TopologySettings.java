package io.refreshorchestrator.topology;

import io.refreshorchestrator.events.Topics;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the refresh topology reads and writes, and how often it looks for due jobs.
 *
 * @param changeTopics the Debezium change topics, {@code <prefix>.<schema>.<table>}: a pattern so a
 *     table whose topic does not exist yet is picked up when it appears
 * @param signalsTopic where the cdc-listener publishes capture signals; subscribed as a one-topic
 *     pattern, so it may be created after the topology starts
 * @param topics the orchestrator's topics: commands and dead letters are written here
 * @param punctuationInterval how often the debouncer looks for due jobs, default {@value
 *     #DEFAULT_PUNCTUATION_MILLIS} ms: how late after its deadline a command may go out
 * @param controlTopic where {@code pause}/{@code resume} publish {@link
 *     io.refreshorchestrator.events.JobControl} records; subscribed as a one-topic pattern, default
 *     {@value io.refreshorchestrator.events.JobControl#DEFAULT_TOPIC}
 * @param jobPartitions partitions of the internal {@code changes-by-job} topic, default {@value
 *     #DEFAULT_JOB_PARTITIONS}: the most instances that share the debounce work. Fixed rather than
 *     derived from the change topics, because Kafka Streams fails the assignment when it must size
 *     a repartition topic from a pattern that matches no topic yet. Changing it later needs a new
 *     application id (or a reset), like any repartition topic's size.
 */
public record TopologySettings(
        Pattern changeTopics,
        String signalsTopic,
        Topics topics,
        Duration punctuationInterval,
        int jobPartitions,
        String controlTopic) {

    public static final long DEFAULT_PUNCTUATION_MILLIS = 100;
    public static final int DEFAULT_JOB_PARTITIONS = 6;

    public TopologySettings {
        Objects.requireNonNull(changeTopics, "changeTopics");
        Objects.requireNonNull(signalsTopic, "signalsTopic");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(punctuationInterval, "punctuationInterval");
        Objects.requireNonNull(controlTopic, "controlTopic");
        if (punctuationInterval.isNegative() || punctuationInterval.isZero()) {
            throw new IllegalArgumentException("punctuationInterval must be positive");
        }
        if (jobPartitions < 1) {
            throw new IllegalArgumentException("jobPartitions must be at least 1");
        }
        // A topic matched twice would make Kafka Streams refuse the topology, and reading our own
        // commands back as change events would loop.
        for (String own :
                new String[] {
                    signalsTopic,
                    controlTopic,
                    topics.refreshCommands().name(),
                    topics.refreshResults().name(),
                    topics.refreshDlq().name()
                }) {
            if (changeTopics.matcher(own).matches()) {
                throw new IllegalArgumentException(
                        "change topic pattern " + changeTopics + " also matches topic " + own);
            }
        }
    }

    /** Settings with the default control topic. */
    public TopologySettings(
            Pattern changeTopics,
            String signalsTopic,
            Topics topics,
            Duration punctuationInterval,
            int jobPartitions) {
        this(
                changeTopics,
                signalsTopic,
                topics,
                punctuationInterval,
                jobPartitions,
                io.refreshorchestrator.events.JobControl.DEFAULT_TOPIC);
    }

    /** Settings with the default punctuation interval and number of job partitions. */
    public static TopologySettings of(
            String changeTopicPrefix, String signalsTopic, Topics topics) {
        return new TopologySettings(
                changeTopicPattern(changeTopicPrefix),
                signalsTopic,
                topics,
                Duration.ofMillis(DEFAULT_PUNCTUATION_MILLIS),
                DEFAULT_JOB_PARTITIONS);
    }

    /**
     * The topics Debezium writes for {@code prefix} ({@code topic.prefix}): {@code
     * <prefix>.<schema>.<table>}. The schema segment has no dot; the table segment may (a quoted
     * table name can hold one). {@code <prefix>.transaction} and other one-segment topics do not
     * match.
     */
    public static Pattern changeTopicPattern(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("change topic prefix must not be empty");
        }
        return Pattern.compile(Pattern.quote(prefix) + "\\.[^.]+\\..+");
    }

    public TopologySettings withPunctuationInterval(Duration interval) {
        return new TopologySettings(
                changeTopics, signalsTopic, topics, interval, jobPartitions, controlTopic);
    }

    public TopologySettings withJobPartitions(int partitions) {
        return new TopologySettings(
                changeTopics, signalsTopic, topics, punctuationInterval, partitions, controlTopic);
    }

    public TopologySettings withControlTopic(String topic) {
        return new TopologySettings(
                changeTopics, signalsTopic, topics, punctuationInterval, jobPartitions, topic);
    }
}
