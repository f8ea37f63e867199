package io.refreshorchestrator.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.refreshorchestrator.discovery.RelationName;
import java.time.Instant;
import java.util.Set;

/**
 * Reads one standard Debezium JSON change event, bare or wrapped in {@code {"schema","payload"}} by
 * a JSON converter with schemas enabled, into a {@link TableChange}. Reads only the fields it
 * needs, so any Debezium deployment (embedded engine, Debezium Server, Kafka Connect) works
 * unchanged.
 */
final class ChangeEventParser {

    /** create, update, delete, snapshot read, truncate: each may change what a view shows. */
    private static final Set<String> DATA_OPS = Set.of("c", "u", "d", "r", "t");

    /** A logical decoding message ({@code pg_logical_emit_message}): no table changed. */
    private static final String MESSAGE_OP = "m";

    private ChangeEventParser() {}

    /**
     * @param value the record value, null for a tombstone
     * @param recordTimestamp the Kafka record timestamp, the commit time of last resort
     */
    static Parsed<TableChange> parse(byte[] value, long recordTimestamp) {
        Parsed<JsonNode> tree = JsonFields.tree(value);
        if (!(tree instanceof Parsed.Value<JsonNode> read)) {
            return tree.retyped();
        }
        JsonNode root = read.value();
        if (root == null || root.isMissingNode()) {
            return new Parsed.Invalid<>("empty value");
        }
        if (root.isNull()) {
            return new Parsed.Ignored<>("null value");
        }
        if (!root.isObject()) {
            return new Parsed.Invalid<>("not a JSON object");
        }
        JsonNode envelope = isSchemaWrapped(root) ? root.get("payload") : root;
        if (envelope.isNull()) {
            return new Parsed.Ignored<>("tombstone (null payload)");
        }
        if (!envelope.isObject()) {
            return new Parsed.Invalid<>("field 'payload' is not a JSON object");
        }
        return readEnvelope(envelope, recordTimestamp);
    }

    private static boolean isSchemaWrapped(JsonNode root) {
        return root.has("schema") && root.has("payload");
    }

    private static Parsed<TableChange> readEnvelope(JsonNode envelope, long recordTimestamp) {
        String op = JsonFields.text(envelope, "op");
        if (op == null) {
            // Transaction metadata (BEGIN/END markers) has no op; anything else without one is
            // not a change event we understand.
            return envelope.has("status") && envelope.has("id")
                    ? new Parsed.Ignored<>("transaction metadata")
                    : new Parsed.Invalid<>("missing field 'op'");
        }
        if (op.equals(MESSAGE_OP)) {
            return new Parsed.Ignored<>("logical decoding message");
        }
        if (!DATA_OPS.contains(op)) {
            return new Parsed.Invalid<>("unknown op '" + op + "'");
        }
        JsonNode source = envelope.get("source");
        if (source == null || !source.isObject()) {
            return new Parsed.Invalid<>("missing field 'source'");
        }
        String schema = JsonFields.text(source, "schema");
        String table = JsonFields.text(source, "table");
        if (schema == null || schema.isEmpty()) {
            return new Parsed.Invalid<>("missing field 'source.schema'");
        }
        if (table == null || table.isEmpty()) {
            return new Parsed.Invalid<>("missing field 'source.table'");
        }
        return new Parsed.Value<>(
                new TableChange(
                        new RelationName(schema, table),
                        commitTime(source, envelope, recordTimestamp),
                        JsonFields.optionalLong(source, "txId"),
                        JsonFields.optionalLong(source, "lsn")));
    }

    /**
     * {@code source.ts_ms} is the commit time. Falling back to the envelope's processing time and
     * then the record timestamp, rather than rejecting the event, because a change whose table is
     * known must never be lost for want of a timestamp: an earlier time only fires sooner.
     */
    private static Instant commitTime(JsonNode source, JsonNode envelope, long recordTimestamp) {
        Long commitMillis = JsonFields.optionalLong(source, "ts_ms");
        if (commitMillis == null) {
            commitMillis = JsonFields.optionalLong(envelope, "ts_ms");
        }
        return Instant.ofEpochMilli(commitMillis != null ? commitMillis : recordTimestamp);
    }
}
