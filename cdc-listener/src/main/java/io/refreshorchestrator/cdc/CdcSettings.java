package io.refreshorchestrator.cdc;

import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.config.PostgresSettings;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything the change-data-capture listener needs: where PostgreSQL and Kafka are, which tables
 * to capture, and how Debezium is tuned.
 *
 * @param topicPrefix change topics are {@code <topicPrefix>.<schema>.<table>}; also Debezium's
 *     logical server name, part of the stored offsets' identity
 * @param slotName the logical replication slot (lower-case letters, digits, underscores)
 * @param publicationName the publication, managed by the listener (never {@code FOR ALL TABLES})
 * @param tables exact {@code schema.table} names
 * @param pollInterval Debezium {@code poll.interval.ms}: dominates capture latency
 * @param heartbeatInterval Debezium {@code heartbeat.interval.ms}: keeps the slot advancing when
 *     the captured tables are idle
 * @param offsetFlushInterval how often processed positions are committed to the offsets topic
 * @param offsetsTopic the Kafka topic holding Debezium's offsets
 * @param signalsTopic where {@link CaptureSignal}s go
 * @param includeSchema whether the JSON events embed their Connect schema ({@code schemas.enable})
 * @param topicPartitions partitions of the topics the listener creates
 * @param replicationFactor replication factor of the topics the listener creates
 * @param engineName the Debezium engine name, the other part of the stored offsets' identity
 * @param statusInterval how often the capture status is published to the signals topic (also on
 *     every change of state) and the slot's retained WAL measured
 */
public record CdcSettings(
        PostgresSettings postgres,
        KafkaSettings kafka,
        String topicPrefix,
        String slotName,
        String publicationName,
        List<String> tables,
        Duration pollInterval,
        Duration heartbeatInterval,
        Duration offsetFlushInterval,
        String offsetsTopic,
        String signalsTopic,
        boolean includeSchema,
        int topicPartitions,
        short replicationFactor,
        String engineName,
        Duration statusInterval) {

    public static final String DEFAULT_TOPIC_PREFIX = "cdc";
    public static final String DEFAULT_SLOT_NAME = "refresh_orchestrator";
    public static final String DEFAULT_PUBLICATION_NAME = "refresh_orchestrator";
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(50);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_OFFSET_FLUSH_INTERVAL = Duration.ofSeconds(1);
    public static final String DEFAULT_OFFSETS_TOPIC = "refresh-orchestrator-cdc-offsets";
    public static final String DEFAULT_SIGNALS_TOPIC = "refresh-signals";
    public static final String DEFAULT_ENGINE_NAME = "refresh-orchestrator-cdc";
    public static final Duration DEFAULT_STATUS_INTERVAL = Duration.ofSeconds(30);

    /** Debezium's default {@code topic.heartbeat.prefix}. */
    public static final String HEARTBEAT_TOPIC_PREFIX = "__debezium-heartbeat";

    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,200}");
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");

    public CdcSettings {
        Objects.requireNonNull(postgres, "postgres");
        Objects.requireNonNull(kafka, "kafka");
        requireValid(topicPrefix, topicNameProblem(topicPrefix), "topicPrefix");
        requireValid(slotName, slotNameProblem(slotName), "slotName");
        requireValid(publicationName, publicationNameProblem(publicationName), "publicationName");
        Objects.requireNonNull(tables, "tables");
        tables = List.copyOf(new LinkedHashSet<>(tables));
        tables.forEach(CapturedTable::parse);
        requirePositive(pollInterval, "pollInterval");
        requirePositive(heartbeatInterval, "heartbeatInterval");
        requirePositive(offsetFlushInterval, "offsetFlushInterval");
        requirePositive(statusInterval, "statusInterval");
        requireValid(offsetsTopic, topicNameProblem(offsetsTopic), "offsetsTopic");
        requireValid(signalsTopic, topicNameProblem(signalsTopic), "signalsTopic");
        if (topicPartitions < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException(
                    "topicPartitions and replicationFactor must be >= 1");
        }
        Objects.requireNonNull(engineName, "engineName");
        if (engineName.isBlank()) {
            throw new IllegalArgumentException("engineName must not be blank");
        }
    }

    /** Settings with every default, capturing {@code tables}. */
    public static Builder builder(PostgresSettings postgres, KafkaSettings kafka) {
        return new Builder(postgres, kafka);
    }

    /** The captured tables, parsed. */
    public List<CapturedTable> capturedTables() {
        return tables.stream().map(CapturedTable::parse).toList();
    }

    /** The change topic of every captured table, in configuration order. */
    public List<String> changeTopics() {
        return capturedTables().stream().map(table -> table.changeTopic(topicPrefix)).toList();
    }

    /** Where Debezium publishes heartbeats: {@code __debezium-heartbeat.<topicPrefix>}. */
    public String heartbeatTopic() {
        return HEARTBEAT_TOPIC_PREFIX + "." + topicPrefix;
    }

    /** These settings publishing to {@code newKafka} (an embedded broker, known only at start). */
    public CdcSettings withKafka(KafkaSettings newKafka) {
        return toBuilder().kafka(newKafka).build();
    }

    /** These settings capturing {@code newTables} instead (the orchestrator derives them). */
    public CdcSettings withTables(List<String> newTables) {
        return toBuilder().tables(newTables).build();
    }

    public Builder toBuilder() {
        return new Builder(postgres, kafka)
                .topicPrefix(topicPrefix)
                .slotName(slotName)
                .publicationName(publicationName)
                .tables(tables)
                .pollInterval(pollInterval)
                .heartbeatInterval(heartbeatInterval)
                .offsetFlushInterval(offsetFlushInterval)
                .offsetsTopic(offsetsTopic)
                .signalsTopic(signalsTopic)
                .includeSchema(includeSchema)
                .topicPartitions(topicPartitions)
                .replicationFactor(replicationFactor)
                .engineName(engineName)
                .statusInterval(statusInterval);
    }

    /** Why {@code name} is not a usable Kafka topic name (or prefix), or null when it is. */
    public static String topicNameProblem(String name) {
        return name != null && TOPIC_NAME.matcher(name).matches()
                ? null
                : "must be 1-200 characters of a-z, A-Z, 0-9, '.', '_' and '-'";
    }

    /** Why {@code name} is not a usable replication slot name, or null when it is. */
    public static String slotNameProblem(String name) {
        return name != null && SLOT_NAME.matcher(name).matches()
                ? null
                : "must be 1-63 characters of lower-case letters, digits and underscores"
                        + " (PostgreSQL's rule for replication slots)";
    }

    /** Why {@code name} is not a usable publication name, or null when it is. */
    public static String publicationNameProblem(String name) {
        return name != null && !name.isBlank() && name.length() <= 63 && !name.contains(",")
                ? null
                : "must be 1-63 characters without commas";
    }

    private static void requireValid(String value, String problem, String field) {
        if (problem != null) {
            throw new IllegalArgumentException(field + " '" + value + "' " + problem);
        }
    }

    private static void requirePositive(Duration duration, String field) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + duration);
        }
    }

    /** Builds {@link CdcSettings}, starting from the defaults. */
    public static final class Builder {
        private PostgresSettings postgres;
        private KafkaSettings kafka;
        private String topicPrefix = DEFAULT_TOPIC_PREFIX;
        private String slotName = DEFAULT_SLOT_NAME;
        private String publicationName = DEFAULT_PUBLICATION_NAME;
        private List<String> tables = List.of();
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration offsetFlushInterval = DEFAULT_OFFSET_FLUSH_INTERVAL;
        private String offsetsTopic = DEFAULT_OFFSETS_TOPIC;
        private String signalsTopic = DEFAULT_SIGNALS_TOPIC;
        private boolean includeSchema;
        private int topicPartitions = 1;
        private short replicationFactor = 1;
        private String engineName = DEFAULT_ENGINE_NAME;
        private Duration statusInterval = DEFAULT_STATUS_INTERVAL;

        private Builder(PostgresSettings postgres, KafkaSettings kafka) {
            this.postgres = postgres;
            this.kafka = kafka;
        }

        public Builder postgres(PostgresSettings value) {
            postgres = value;
            return this;
        }

        public Builder kafka(KafkaSettings value) {
            kafka = value;
            return this;
        }

        public Builder topicPrefix(String value) {
            topicPrefix = value;
            return this;
        }

        public Builder slotName(String value) {
            slotName = value;
            return this;
        }

        public Builder publicationName(String value) {
            publicationName = value;
            return this;
        }

        public Builder tables(List<String> value) {
            tables = value;
            return this;
        }

        public Builder tables(String... value) {
            return tables(List.of(value));
        }

        public Builder pollInterval(Duration value) {
            pollInterval = value;
            return this;
        }

        public Builder heartbeatInterval(Duration value) {
            heartbeatInterval = value;
            return this;
        }

        public Builder offsetFlushInterval(Duration value) {
            offsetFlushInterval = value;
            return this;
        }

        public Builder offsetsTopic(String value) {
            offsetsTopic = value;
            return this;
        }

        public Builder signalsTopic(String value) {
            signalsTopic = value;
            return this;
        }

        public Builder includeSchema(boolean value) {
            includeSchema = value;
            return this;
        }

        public Builder topicPartitions(int value) {
            topicPartitions = value;
            return this;
        }

        public Builder replicationFactor(short value) {
            replicationFactor = value;
            return this;
        }

        public Builder engineName(String value) {
            engineName = value;
            return this;
        }

        public Builder statusInterval(Duration value) {
            statusInterval = value;
            return this;
        }

        public CdcSettings build() {
            return new CdcSettings(
                    postgres,
                    kafka,
                    topicPrefix,
                    slotName,
                    publicationName,
                    tables,
                    pollInterval,
                    heartbeatInterval,
                    offsetFlushInterval,
                    offsetsTopic,
                    signalsTopic,
                    includeSchema,
                    topicPartitions,
                    replicationFactor,
                    engineName,
                    statusInterval);
        }
    }
}
