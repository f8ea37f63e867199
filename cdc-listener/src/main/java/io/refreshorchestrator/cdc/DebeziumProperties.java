package io.refreshorchestrator.cdc;

import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Maps {@link CdcSettings} to the Debezium embedded engine's properties: the PostgreSQL connector
 * on pgoutput, no initial snapshot, a publication we manage, offsets stored in Kafka, heartbeats
 * on. A pure function, so the mapping is unit-tested.
 */
public final class DebeziumProperties {

    public static final String CONNECTOR_CLASS =
            "io.debezium.connector.postgresql.PostgresConnector";

    /**
     * Connect's KafkaOffsetBackingStore, closing the admin client Debezium's own construction of it
     * leaks; see {@link CdcOffsetStore}.
     */
    public static final String KAFKA_OFFSET_STORE = CdcOffsetStore.class.getName();

    /** The prefix of the logical decoding message each heartbeat writes. */
    public static final String HEARTBEAT_MESSAGE_PREFIX = "refresh-orchestrator-heartbeat";

    /**
     * Run by Debezium at every heartbeat: any role may call it, and it writes no table.
     * Non-transactional, so it is decoded at once.
     */
    static final String HEARTBEAT_ACTION_QUERY =
            "SELECT pg_logical_emit_message(false, '" + HEARTBEAT_MESSAGE_PREFIX + "', '')";

    /** pgjdbc properties Debezium has a dedicated {@code database.*} setting for. */
    private static final Set<String> DATABASE_PROPERTIES =
            Set.of(
                    "sslmode",
                    "sslcert",
                    "sslkey",
                    "sslpassword",
                    "sslrootcert",
                    "sslfactory",
                    "tcpKeepAlive",
                    "connectTimeout");

    private DebeziumProperties() {}

    /** The engine properties for {@code settings}; they contain the password: never log them. */
    public static Properties of(CdcSettings settings) {
        var props = new Properties();
        // Kafka client settings (security, for example) first: the Kafka offset store builds its
        // producer, consumer and admin client from the whole engine configuration.
        settings.kafka().properties().forEach(props::setProperty);

        props.setProperty("name", settings.engineName());
        props.setProperty("connector.class", CONNECTOR_CLASS);

        var postgres = settings.postgres();
        props.setProperty("database.hostname", postgres.host());
        props.setProperty("database.port", Integer.toString(postgres.port()));
        props.setProperty("database.dbname", postgres.database());
        props.setProperty("database.user", postgres.user());
        if (!postgres.password().isEmpty()) {
            props.setProperty("database.password", postgres.password().reveal());
        }
        postgres.properties()
                .forEach(
                        (key, value) ->
                                props.setProperty(
                                        (DATABASE_PROPERTIES.contains(key)
                                                        ? "database."
                                                        : "driver.")
                                                + key,
                                        value));

        props.setProperty("topic.prefix", settings.topicPrefix());
        props.setProperty("plugin.name", "pgoutput");
        props.setProperty("slot.name", settings.slotName());
        props.setProperty("publication.name", settings.publicationName());
        // We create and alter the publication ourselves, for the configured tables only; the
        // Debezium default (all_tables) would publish every table of the database.
        props.setProperty("publication.autocreate.mode", "disabled");
        props.setProperty("snapshot.mode", "no_data");
        props.setProperty("table.include.list", tableIncludeList(settings));
        // Truncates change the data a view is built on: emit them (Debezium skips them by default).
        props.setProperty("skipped.operations", "none");
        // A delete is one event; a tombstone would only matter for compacted topics.
        props.setProperty("tombstones.on.delete", "false");

        props.setProperty("poll.interval.ms", millis(settings.pollInterval()));
        props.setProperty("heartbeat.interval.ms", millis(settings.heartbeatInterval()));
        // The slot's confirmed position must never run ahead of the position stored in the
        // offsets topic: Debezium refuses to resume from a stored position behind the slot's
        // restart LSN ("no longer available on the server"), and a position the slot moved past
        // without us is indistinguishable from lost changes. So only Debezium flushes, after the
        // offsets are stored ('connector'; 'connector_and_driver' let pgjdbc confirm keepalive
        // positions the offsets never saw). An idle captured table next to a busy database would
        // then pin WAL: each heartbeat writes a non-transactional logical decoding message, which
        // pgoutput streams whatever the publication holds, so the stored position and the slot
        // move on together. The message itself is filtered out, never published.
        props.setProperty("lsn.flush.mode", "connector");
        props.setProperty("heartbeat.action.query", HEARTBEAT_ACTION_QUERY);
        props.setProperty("message.prefix.exclude.list", HEARTBEAT_MESSAGE_PREFIX);
        // No retries inside the engine: every restart goes through our preparation (slot and
        // stored position checked, a capture reset signalled when changes may have been missed),
        // and through the supervisor's backoff, instead of a connector restart 10 s later that
        // would create a missing slot behind our back.
        props.setProperty("errors.max.retries", "0");
        props.setProperty("offset.flush.interval.ms", millis(settings.offsetFlushInterval()));

        props.setProperty("offset.storage", KAFKA_OFFSET_STORE);
        props.setProperty("bootstrap.servers", settings.kafka().bootstrapServers());
        props.setProperty("offset.storage.topic", settings.offsetsTopic());
        props.setProperty("offset.storage.partitions", "1");
        props.setProperty(
                "offset.storage.replication.factor", Short.toString(settings.replicationFactor()));

        var schemas = Boolean.toString(settings.includeSchema()).toLowerCase(Locale.ROOT);
        props.setProperty("converter.schemas.enable", schemas);
        props.setProperty("key.converter.schemas.enable", schemas);
        props.setProperty("value.converter.schemas.enable", schemas);
        return props;
    }

    /** Exact, escaped names: {@code public\.plays,public\.tracks}. */
    static String tableIncludeList(CdcSettings settings) {
        return settings.capturedTables().stream()
                .map(CapturedTable::includeListPattern)
                .collect(Collectors.joining(","));
    }

    private static String millis(java.time.Duration duration) {
        return Long.toString(duration.toMillis());
    }
}
