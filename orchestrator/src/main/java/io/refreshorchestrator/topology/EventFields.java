package io.refreshorchestrator.topology;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The fields of one JSON object of a Debezium event that {@link ChangeEventParser} judges, read in
 * one pass of a streaming parser (here) or of the {@link EventScanner}: everything else (row
 * images, the converter's schema, unknown fields) is skipped token by token, never built. Lenient
 * like a tree reader: an absent or mistyped field reads as null, a duplicate field's last value
 * wins.
 */
final class EventFields {

    String op;
    boolean hasSource;
    String sourceSchema;
    String sourceTable;
    Long sourceMillis;
    Long txId;
    Long lsn;
    Long envelopeMillis;
    boolean hasStatus;
    boolean hasId;
    boolean hasSchema;
    boolean hasPayload;
    boolean payloadIsNull;

    /** The payload when it is an object, read like an envelope; null otherwise. */
    EventFields payload;

    EventFields() {}

    /** A copy of these fields, and of the payload's. */
    EventFields copy() {
        var copy = new EventFields();
        copy.op = op;
        copy.hasSource = hasSource;
        copy.sourceSchema = sourceSchema;
        copy.sourceTable = sourceTable;
        copy.sourceMillis = sourceMillis;
        copy.txId = txId;
        copy.lsn = lsn;
        copy.envelopeMillis = envelopeMillis;
        copy.hasStatus = hasStatus;
        copy.hasId = hasId;
        copy.hasSchema = hasSchema;
        copy.hasPayload = hasPayload;
        copy.payloadIsNull = payloadIsNull;
        copy.payload = payload == null ? null : payload.copy();
        return copy;
    }

    /**
     * Reads the object the parser is positioned at (its START_OBJECT), leaving it at the matching
     * END_OBJECT; {@code root}: also take {@code schema}/{@code payload}, the converter's wrapper.
     */
    static EventFields read(JsonParser parser, boolean root) throws IOException {
        var fields = new EventFields();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonToken token = parser.nextToken();
            switch (name) {
                case "op" -> fields.op = text(parser, token);
                case "ts_ms" -> fields.envelopeMillis = optionalLong(parser, token);
                case "source" -> fields.readSource(parser, token);
                case "status" -> {
                    fields.hasStatus = true;
                    parser.skipChildren();
                }
                case "id" -> {
                    fields.hasId = true;
                    parser.skipChildren();
                }
                case "schema" -> {
                    fields.hasSchema = true;
                    parser.skipChildren();
                }
                case "payload" -> fields.readPayload(parser, token, root);
                default -> parser.skipChildren(); // before, after, transaction, ...
            }
        }
        return fields;
    }

    private void readSource(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            hasSource = false;
            sourceSchema = sourceTable = null;
            sourceMillis = txId = lsn = null;
            return;
        }
        hasSource = true;
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonToken value = parser.nextToken();
            switch (name) {
                case "schema" -> sourceSchema = text(parser, value);
                case "table" -> sourceTable = text(parser, value);
                case "ts_ms" -> sourceMillis = optionalLong(parser, value);
                case "txId" -> txId = optionalLong(parser, value);
                case "lsn" -> lsn = optionalLong(parser, value);
                default -> parser.skipChildren();
            }
        }
    }

    private void readPayload(JsonParser parser, JsonToken token, boolean root) throws IOException {
        if (!root) {
            parser.skipChildren();
            return;
        }
        hasPayload = true;
        payloadIsNull = token == JsonToken.VALUE_NULL;
        if (token == JsonToken.START_OBJECT) {
            payload = read(parser, false);
        } else {
            payload = null;
            parser.skipChildren();
        }
    }

    /** The value as text, or null when it is null or not a scalar. */
    private static String text(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token.isStructStart()) {
            parser.skipChildren();
            return null;
        }
        return parser.getText();
    }

    /**
     * The value as a long, or null when null or not an integer. Numbers written as strings are
     * accepted because some converters (and hand-written producers) quote 64-bit values.
     */
    private static Long optionalLong(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? null
                    : parser.getLongValue();
        }
        if (token == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(parser.getText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (token.isStructStart()) {
            parser.skipChildren();
        }
        return null;
    }
}
