package io.refreshorchestrator.topology;

import io.refreshorchestrator.config.KafkaSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How the topology runs on Kafka: the one place where its Kafka Streams configuration is made.
 *
 * @param applicationId {@code application.id}: consumer group, prefix of the internal topics and of
 *     the transactional ids; default {@value #DEFAULT_APPLICATION_ID}
 * @param kafka bootstrap servers, and extra client properties (security, timeouts) that apply to
 *     every client Kafka Streams makes
 * @param stateDir {@code state.dir}: task locks and checkpoints (the stores themselves are in
 *     memory)
 * @param replicationFactor {@code replication.factor} of the internal topics; {@value
 *     #BROKER_DEFAULT_REPLICATION} (the default) takes the broker's {@code
 *     default.replication.factor}
 * @param streamThreads {@code num.stream.threads}, default 1: the topology is light, and more
 *     instances scale it out
 * @param instanceId this instance's stable name: the topology's consumer is the static member
 *     {@code <instanceId>-topology-<thread>} ({@code group.instance.id}; Kafka Streams appends the
 *     thread number), so a restart takes its tasks back without waiting for the session timeout;
 *     null for a dynamic member
 */
public record StreamsSettings(
        String applicationId,
        KafkaSettings kafka,
        Path stateDir,
        int replicationFactor,
        int streamThreads,
        String instanceId) {

    public static final String DEFAULT_APPLICATION_ID = "refresh-orchestrator";
    public static final int BROKER_DEFAULT_REPLICATION = -1;

    /** Keys this class decides; extra client properties may not set them. */
    static final List<String> MANAGED_KEYS =
            List.of(
                    StreamsConfig.APPLICATION_ID_CONFIG,
                    StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                    StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                    StreamsConfig.STATE_DIR_CONFIG,
                    StreamsConfig.REPLICATION_FACTOR_CONFIG,
                    StreamsConfig.NUM_STREAM_THREADS_CONFIG,
                    StreamsConfig.GROUP_PROTOCOL_CONFIG,
                    ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);

    public StreamsSettings {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(stateDir, "stateDir");
        if (replicationFactor < 1 && replicationFactor != BROKER_DEFAULT_REPLICATION) {
            throw new IllegalArgumentException(
                    "replicationFactor must be at least 1, or -1 for the broker's default");
        }
        if (streamThreads < 1) {
            throw new IllegalArgumentException("streamThreads must be at least 1");
        }
        List<String> clashes =
                MANAGED_KEYS.stream().filter(kafka.properties()::containsKey).toList();
        if (!clashes.isEmpty()) {
            throw new IllegalArgumentException(
                    "Kafka client properties may not set " + clashes + ": they are fixed here");
        }
    }

    /** Dynamic membership (no instance id). */
    public StreamsSettings(
            String applicationId,
            KafkaSettings kafka,
            Path stateDir,
            int replicationFactor,
            int streamThreads) {
        this(applicationId, kafka, stateDir, replicationFactor, streamThreads, null);
    }

    /** Settings with the default replication factor and one stream thread. */
    public static StreamsSettings of(String applicationId, KafkaSettings kafka, Path stateDir) {
        return new StreamsSettings(applicationId, kafka, stateDir, BROKER_DEFAULT_REPLICATION, 1);
    }

    /** Suffix of the instance id in the topology's {@code group.instance.id}. */
    public static final String MEMBER_SUFFIX = "-topology";

    /**
     * {@code session.timeout.ms} of the topology's consumer: how long the group waits for a member
     * that stopped heartbeating before its tasks move to the other instances. A stop longer than
     * this (a GC pause, a frozen VM) costs one rebalance when the member comes back, never data;
     * shorter would cost more spurious rebalances, longer delays every failover by as much. With
     * static membership a restart does not wait for it. Client properties may override it.
     */
    public static final String SESSION_TIMEOUT_MILLIS = "10000";

    /** {@code heartbeat.interval.ms}: a fifth of the session, so four heartbeats may be lost. */
    public static final String HEARTBEAT_INTERVAL_MILLIS = "2000";

    /**
     * How often the main consumer refreshes metadata, and so how soon it subscribes a change topic
     * that appeared after start (Debezium creates a table's topic on its first change). The
     * consumer default, 5 min, would hold that first change back for up to 5 min; a metadata
     * request every few seconds costs nothing. Client properties may override it.
     */
    static final String NEW_TOPIC_DISCOVERY_MILLIS = "5000";

    /**
     * {@code max.task.idle.ms}: never wait for data on a task's empty partitions. Every change
     * topic is a partition of the same task, and events of different tables need no ordering by
     * timestamp; with the default (0) the task checks the lag of each empty partition before each
     * record, a cost that grows with the number of captured tables (a fifth of the stream thread's
     * time with 10,000 of them, in {@code benchmark debounce}). Client properties may override it.
     */
    static final String NO_WAIT_FOR_EMPTY_PARTITIONS =
            Long.toString(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);

    /**
     * {@code processing.exception.handler.global.enabled} (KIP-1270): the processing exception
     * handler applies to global store processing too. The topology has no global store, so no
     * global thread runs and this changes nothing; it is the default of Kafka Streams 5.0, which
     * drops the key, and without it Kafka Streams 4.3 logs a WARN about it every time it reads this
     * configuration, one no operator can act on. Client properties may override it.
     */
    @SuppressWarnings("deprecation") // deprecated for its removal in 5.0, where true is built in
    static final String GLOBAL_PROCESSING_HANDLER_KEY =
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG;

    /** The complete Kafka Streams configuration. */
    public Properties toProperties() {
        var props = new Properties();
        props.put(
                StreamsConfig.mainConsumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG),
                NEW_TOPIC_DISCOVERY_MILLIS);
        // a main.consumer. key would win over the user's plain one: set only when they did not
        if (!kafka.properties().containsKey(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)) {
            props.put(
                    StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                    SESSION_TIMEOUT_MILLIS);
        }
        if (!kafka.properties().containsKey(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)) {
            props.put(
                    StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                    HEARTBEAT_INTERVAL_MILLIS);
        }
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, NO_WAIT_FOR_EMPTY_PARTITIONS);
        props.put(GLOBAL_PROCESSING_HANDLER_KEY, "true");
        props.putAll(kafka.properties());
        if (instanceId != null) {
            props.put(
                    StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                    instanceId + MEMBER_SUFFIX);
        }
        props.putAll(
                Map.of(
                        StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
                        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        // Stores, changelogs, the repartition topic and the commands commit
                        // together: a crash neither loses nor repeats a command. The commit
                        // interval drops to 100 ms, the pace at which commands become visible.
                        StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
                        StreamsConfig.STATE_DIR_CONFIG, stateDir.toString(),
                        StreamsConfig.REPLICATION_FACTOR_CONFIG,
                                Integer.toString(replicationFactor),
                        StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(streamThreads),
                        // The change topics are subscribed by pattern, which the newer "streams"
                        // rebalance protocol does not support: pin the classic one.
                        StreamsConfig.GROUP_PROTOCOL_CONFIG, "classic"));
        return props;
    }
}
