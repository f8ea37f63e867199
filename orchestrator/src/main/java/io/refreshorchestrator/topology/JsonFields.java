package io.refreshorchestrator.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.refreshorchestrator.events.Json;
import java.io.IOException;

/** Lenient field reads for the hand-written JSON readers: absent or mistyped gives null. */
final class JsonFields {

    private JsonFields() {}

    /**
     * The record value as a JSON tree (possibly missing or null: the caller judges the shape); a
     * tombstone is ignored, unreadable JSON invalid.
     */
    static Parsed<JsonNode> tree(byte[] value) {
        if (value == null) {
            return new Parsed.Ignored<>("tombstone");
        }
        try {
            return new Parsed.Value<>(Json.mapper().readTree(value));
        } catch (JsonProcessingException e) {
            return new Parsed.Invalid<>("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Parsed.Invalid<>("unreadable value: " + e.getMessage());
        }
    }

    /** The field as text, or null when it is absent, null or not a scalar. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isValueNode() || value.isNull() ? null : value.asText();
    }

    /**
     * The field as a long, or null when absent or not an integer. Numbers written as strings are
     * accepted because some converters (and hand-written producers) quote 64-bit values.
     */
    static Long optionalLong(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.asLong();
        }
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
