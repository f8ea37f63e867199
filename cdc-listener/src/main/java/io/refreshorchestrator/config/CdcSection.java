package io.refreshorchestrator.config;

import io.refreshorchestrator.cdc.CapturedTable;
import io.refreshorchestrator.cdc.CdcSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Reads the {@code cdc} section into {@link CdcSettings}. */
public final class CdcSection {

    public static final String SECTION = "cdc";

    private static final Set<String> KEYS =
            Set.of(
                    "topic-prefix",
                    "slot",
                    "publication",
                    "tables",
                    "poll-interval",
                    "heartbeat-interval",
                    "offset-flush-interval",
                    "offsets-topic",
                    "signals-topic",
                    "include-schema",
                    "topic-partitions",
                    "replication-factor",
                    "engine-name",
                    "status-interval",
                    // read by the orchestrator: whether the listener runs in its process
                    "enabled");

    private static final Duration MIN_INTERVAL = Duration.ofMillis(1);

    private CdcSection() {}

    /**
     * The settings of {@code cdc} for the given connections, or {@code null} when something is
     * invalid (then every problem is recorded in {@code reader}, including those of a {@code null}
     * {@code postgres} or {@code kafka} read before).
     *
     * @param tablesRequired whether {@code cdc.tables} must list at least one table (the standalone
     *     listener); the orchestrator derives the tables from its jobs and passes false
     */
    public static CdcSettings read(
            ConfigReader reader,
            PostgresSettings postgres,
            KafkaSettings kafka,
            boolean tablesRequired) {
        reader.rejectUnknownKeys(SECTION, KEYS);
        var topicPrefix =
                name(
                        reader,
                        "topic-prefix",
                        CdcSettings.DEFAULT_TOPIC_PREFIX,
                        CdcSettings::topicNameProblem);
        var slot =
                name(reader, "slot", CdcSettings.DEFAULT_SLOT_NAME, CdcSettings::slotNameProblem);
        var publication =
                name(
                        reader,
                        "publication",
                        CdcSettings.DEFAULT_PUBLICATION_NAME,
                        CdcSettings::publicationNameProblem);
        var tables = tables(reader, tablesRequired);
        var pollInterval =
                reader.duration(
                        path("poll-interval"), CdcSettings.DEFAULT_POLL_INTERVAL, MIN_INTERVAL);
        var heartbeatInterval =
                reader.duration(
                        path("heartbeat-interval"),
                        CdcSettings.DEFAULT_HEARTBEAT_INTERVAL,
                        MIN_INTERVAL);
        var offsetFlushInterval =
                reader.duration(
                        path("offset-flush-interval"),
                        CdcSettings.DEFAULT_OFFSET_FLUSH_INTERVAL,
                        MIN_INTERVAL);
        var offsetsTopic =
                name(
                        reader,
                        "offsets-topic",
                        CdcSettings.DEFAULT_OFFSETS_TOPIC,
                        CdcSettings::topicNameProblem);
        var signalsTopic =
                name(
                        reader,
                        "signals-topic",
                        CdcSettings.DEFAULT_SIGNALS_TOPIC,
                        CdcSettings::topicNameProblem);
        boolean includeSchema = reader.bool(path("include-schema"), false);
        int partitions = reader.integer(path("topic-partitions"), 1, 1, 10_000);
        int replication = reader.integer(path("replication-factor"), 1, 1, Short.MAX_VALUE);
        var engineName = reader.string(path("engine-name"), CdcSettings.DEFAULT_ENGINE_NAME);
        var statusInterval =
                reader.duration(
                        path("status-interval"),
                        CdcSettings.DEFAULT_STATUS_INTERVAL,
                        Duration.ofSeconds(1));
        if (postgres == null || kafka == null || !reader.problems().isEmpty()) {
            return null;
        }
        return CdcSettings.builder(postgres, kafka)
                .topicPrefix(topicPrefix)
                .slotName(slot)
                .publicationName(publication)
                .tables(tables)
                .pollInterval(pollInterval)
                .heartbeatInterval(heartbeatInterval)
                .offsetFlushInterval(offsetFlushInterval)
                .offsetsTopic(offsetsTopic)
                .signalsTopic(signalsTopic)
                .includeSchema(includeSchema)
                .statusInterval(statusInterval)
                .topicPartitions(partitions)
                .replicationFactor((short) replication)
                .engineName(engineName)
                .build();
    }

    private static List<String> tables(ConfigReader reader, boolean required) {
        var path = path("tables");
        var names = reader.stringList(path);
        var valid = new ArrayList<String>();
        for (int i = 0; i < names.size(); i++) {
            try {
                valid.add(CapturedTable.parse(names.get(i)).qualifiedName());
            } catch (IllegalArgumentException e) {
                reader.problem(path + "[" + i + "]", e.getMessage());
            }
        }
        if (required
                && names.isEmpty()
                && reader.problems().stream().noneMatch(p -> p.startsWith(path))) {
            reader.problem(path, "list at least one table to capture, e.g. [public.plays]");
        }
        return valid;
    }

    private static String name(
            ConfigReader reader, String key, String defaultValue, Function<String, String> check) {
        var value = reader.string(path(key), defaultValue);
        var problem = check.apply(value);
        if (problem != null) {
            reader.problem(path(key), "'" + value + "' " + problem);
            return defaultValue;
        }
        return value;
    }

    private static String path(String key) {
        return SECTION + "." + key;
    }
}
