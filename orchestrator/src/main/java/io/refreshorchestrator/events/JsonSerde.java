package io.refreshorchestrator.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one event record type, as JSON. A value that cannot be read throws {@link
 * SerializationException} whose message names the offending field.
 */
public final class JsonSerde<T> implements Serde<T> {

    private final Class<T> type;
    private final ObjectMapper mapper;

    public JsonSerde(Class<T> type) {
        this.type = type;
        this.mapper = Json.mapper();
    }

    /** Reads one value; the exception message says which field is wrong and why. */
    public T read(byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return mapper.readValue(data, type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new SerializationException(
                    "invalid " + type.getSimpleName() + ": " + cause.getMessage(), e);
        } catch (JsonMappingException e) {
            throw new SerializationException(
                    "invalid "
                            + type.getSimpleName()
                            + " at field '"
                            + path(e)
                            + "': "
                            + e.getOriginalMessage(),
                    e);
        } catch (JsonProcessingException e) {
            throw new SerializationException(
                    "malformed JSON for " + type.getSimpleName() + ": " + e.getOriginalMessage(),
                    e);
        } catch (IOException e) {
            throw new SerializationException("cannot read " + type.getSimpleName(), e);
        }
    }

    /** Writes one value. */
    public byte[] write(T value) {
        if (value == null) {
            return null;
        }
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot write " + type.getSimpleName(), e);
        }
    }

    private static String path(JsonMappingException e) {
        String path =
                e.getPath().stream()
                        .map(
                                ref ->
                                        ref.getFieldName() != null
                                                ? ref.getFieldName()
                                                : "[" + ref.getIndex() + "]")
                        .collect(Collectors.joining("."));
        return path.isEmpty() ? "<root>" : path.replace(".[", "[");
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> write(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, data) -> read(data);
    }
}
