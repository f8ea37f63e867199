package io.refreshorchestrator.topology;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;

/**
 * Reads one standard Debezium JSON change event, bare or wrapped in {@code {"schema","payload"}} by
 * a JSON converter with schemas enabled, into a {@link TableChange}. Reads only the fields it needs
 * ({@code op}, the {@code source} block, {@code ts_ms}) and skips the row images and the schema
 * without building them: an event's cost is its size, not its shape. Any Debezium deployment
 * (embedded engine, Debezium Server, Kafka Connect) works unchanged.
 *
 * <p>Two readers: the {@link EventScanner}, a single pass over the bytes for the forms Debezium
 * writes, and Jackson's streaming parser for everything the scanner leaves to it, including every
 * malformed value (so the reason a dead letter gives is Jackson's). Not thread-safe: one per stream
 * task.
 */
final class ChangeEventParser {

    /** create, update, delete, snapshot read, truncate: each may change what a view shows. */
    private static final Set<String> DATA_OPS = Set.of("c", "u", "d", "r", "t");

    /** A logical decoding message ({@code pg_logical_emit_message}): no table changed. */
    private static final String MESSAGE_OP = "m";

    private final EventScanner scanner = new EventScanner();

    /**
     * @param value the record value, null for a tombstone
     * @param recordTimestamp the Kafka record timestamp, the commit time of last resort
     */
    Parsed<TableChange> parse(byte[] value, long recordTimestamp) {
        if (value == null) {
            return new Parsed.Ignored<>("tombstone");
        }
        EventFields root = scanner.scan(value);
        return root != null
                ? judge(root, recordTimestamp)
                : readWithJackson(value, recordTimestamp);
    }

    /** What Jackson's streaming parser reads from a value, null or not. */
    static Parsed<TableChange> readWithJackson(byte[] value, long recordTimestamp) {
        if (value == null) {
            return new Parsed.Ignored<>("tombstone");
        }
        try (JsonParser parser = Json.mapper().getFactory().createParser(value)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new Parsed.Invalid<>("empty value");
            }
            if (first == JsonToken.VALUE_NULL) {
                return endOfValue(parser, new Parsed.Ignored<>("null value"));
            }
            if (first != JsonToken.START_OBJECT) {
                parser.skipChildren();
                return endOfValue(parser, new Parsed.Invalid<>("not a JSON object"));
            }
            EventFields root = EventFields.read(parser, true);
            return endOfValue(parser, judge(root, recordTimestamp));
        } catch (JsonProcessingException e) {
            return new Parsed.Invalid<>("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Parsed.Invalid<>("unreadable value: " + e.getMessage());
        }
    }

    /** Anything after the value makes the whole record malformed, as a tree reader would say. */
    private static Parsed<TableChange> endOfValue(JsonParser parser, Parsed<TableChange> parsed)
            throws IOException {
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            return new Parsed.Invalid<>(
                    "malformed JSON: trailing token (" + trailing + ") after the value");
        }
        return parsed;
    }

    private static Parsed<TableChange> judge(EventFields root, long recordTimestamp) {
        if (root.hasSchema && root.hasPayload) {
            if (root.payload == null) {
                return root.payloadIsNull
                        ? new Parsed.Ignored<>("tombstone (null payload)")
                        : new Parsed.Invalid<>("field 'payload' is not a JSON object");
            }
            return judgeEnvelope(root.payload, recordTimestamp);
        }
        return judgeEnvelope(root, recordTimestamp);
    }

    private static Parsed<TableChange> judgeEnvelope(EventFields envelope, long recordTimestamp) {
        String op = envelope.op;
        if (op == null) {
            // Transaction metadata (BEGIN/END markers) has no op; anything else without one is
            // not a change event we understand.
            return envelope.hasStatus && envelope.hasId
                    ? new Parsed.Ignored<>("transaction metadata")
                    : new Parsed.Invalid<>("missing field 'op'");
        }
        if (op.equals(MESSAGE_OP)) {
            return new Parsed.Ignored<>("logical decoding message");
        }
        if (!DATA_OPS.contains(op)) {
            return new Parsed.Invalid<>("unknown op '" + op + "'");
        }
        if (!envelope.hasSource) {
            return new Parsed.Invalid<>("missing field 'source'");
        }
        if (envelope.sourceSchema == null || envelope.sourceSchema.isEmpty()) {
            return new Parsed.Invalid<>("missing field 'source.schema'");
        }
        if (envelope.sourceTable == null || envelope.sourceTable.isEmpty()) {
            return new Parsed.Invalid<>("missing field 'source.table'");
        }
        return new Parsed.Value<>(
                new TableChange(
                        new RelationName(envelope.sourceSchema, envelope.sourceTable),
                        commitTime(envelope, recordTimestamp),
                        envelope.txId,
                        envelope.lsn));
    }

    /**
     * {@code source.ts_ms} is the commit time. Falling back to the envelope's processing time and
     * then the record timestamp, rather than rejecting the event, because a change whose table is
     * known must never be lost for want of a timestamp: an earlier time only fires sooner.
     */
    private static Instant commitTime(EventFields envelope, long recordTimestamp) {
        Long commitMillis = envelope.sourceMillis;
        if (commitMillis == null) {
            commitMillis = envelope.envelopeMillis;
        }
        return Instant.ofEpochMilli(commitMillis != null ? commitMillis : recordTimestamp);
    }
}
