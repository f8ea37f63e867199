package io.refreshorchestrator.topology;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A capture reset announced by the cdc-listener on the signals topic: its replication slot was
 * created or re-created, so changes before {@code at} were never seen and every view may be stale.
 * Read here with a tolerant reader of our own, because the two processes share only the JSON
 * contract: {@code {"version":1,"type":"CAPTURE_RESET","reason":"SLOT_CREATED","slot":"...",
 * "publication":"...","tables":[...],"at":"2026-...Z"}}.
 *
 * @param reason {@code SLOT_CREATED} or {@code SLOT_INVALIDATED}, kept as text: a newer listener's
 *     reason must not make the signal unreadable
 * @param at when the slot was (re)created; the record timestamp when the signal has none
 */
record CaptureSignal(
        int version,
        String reason,
        String slot,
        String publication,
        List<String> tables,
        Instant at) {

    static final String CAPTURE_RESET = "CAPTURE_RESET";

    /**
     * Reads one signal. A signal of another type is ignored, not rejected: a newer listener may
     * announce things this version has no use for.
     */
    static Parsed<CaptureSignal> parse(byte[] value, long recordTimestamp) {
        Parsed<JsonNode> tree = JsonFields.tree(value);
        if (!(tree instanceof Parsed.Value<JsonNode> read)) {
            return tree.retyped();
        }
        JsonNode root = read.value();
        if (root == null || !root.isObject()) {
            return new Parsed.Invalid<>("not a JSON object");
        }
        String type = JsonFields.text(root, "type");
        if (type == null || type.isBlank()) {
            return new Parsed.Invalid<>("missing required field 'type'");
        }
        if (!type.equals(CAPTURE_RESET)) {
            return new Parsed.Ignored<>("signal type " + type);
        }
        Instant at;
        try {
            String text = JsonFields.text(root, "at");
            at = text == null ? Instant.ofEpochMilli(recordTimestamp) : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return new Parsed.Invalid<>("field 'at' is not an ISO-8601 instant");
        }
        Long version = JsonFields.optionalLong(root, "version");
        return new Parsed.Value<>(
                new CaptureSignal(
                        version == null ? 1 : version.intValue(),
                        JsonFields.text(root, "reason"),
                        JsonFields.text(root, "slot"),
                        JsonFields.text(root, "publication"),
                        tables(root.get("tables")),
                        at));
    }

    private static List<String> tables(JsonNode node) {
        List<String> tables = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(table -> tables.add(table.asText()));
        }
        return List.copyOf(tables);
    }
}
