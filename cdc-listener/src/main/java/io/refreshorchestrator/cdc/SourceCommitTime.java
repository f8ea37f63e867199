package io.refreshorchestrator.cdc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The commit time ({@code source.ts_ms}) of a Debezium JSON change event, with or without the
 * schema envelope, read by streaming past everything else (row images can be large).
 */
final class SourceCommitTime {

    private static final JsonFactory FACTORY = new JsonFactory();

    private SourceCommitTime() {}

    static Optional<Instant> of(String event) {
        try (JsonParser parser = FACTORY.createParser(event)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            return find(parser);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Within an object: {@code source.ts_ms}, descending into {@code payload}. */
    private static Optional<Instant> find(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            var name = parser.currentName();
            var token = parser.nextToken();
            if (token == JsonToken.START_OBJECT && "payload".equals(name)) {
                return find(parser);
            }
            if (token == JsonToken.START_OBJECT && "source".equals(name)) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    var field = parser.currentName();
                    var value = parser.nextToken();
                    if ("ts_ms".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                        return Optional.of(Instant.ofEpochMilli(parser.getLongValue()));
                    }
                    parser.skipChildren();
                }
                return Optional.empty();
            }
            parser.skipChildren();
        }
        return Optional.empty();
    }
}
