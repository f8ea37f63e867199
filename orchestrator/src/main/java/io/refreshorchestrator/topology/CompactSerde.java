package io.refreshorchestrator.topology;

import io.refreshorchestrator.events.JsonSerde;
import java.nio.BufferUnderflowException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of an internal value (a state store's changelog, the {@code changes-by-job} topic) in a
 * compact binary layout: one format byte, then the fields in a fixed order ({@link
 * CompactEncoding}). Reads the JSON that earlier versions wrote as well, told apart by its first
 * byte ({@code '{'}), so an upgrade restores the old changelogs and drains the old repartition
 * records without a reset; what it writes from then on is compact.
 */
final class CompactSerde<T> implements Serde<T> {

    /**
     * The first byte of every value this serde writes: the layout's version. 2 adds the cascade
     * fields (a change's upstream transaction id, the pending upstream transaction ids); layout 1
     * was never released, so it is not read.
     */
    static final byte FORMAT_V2 = 2;

    private static final byte JSON_OBJECT = '{';

    /** Writes and reads one type's fields. */
    interface Codec<T> {
        void write(T value, CompactEncoding.Writer out);

        T read(CompactEncoding.Reader in);
    }

    private final Class<T> type;
    private final Codec<T> codec;
    private final JsonSerde<T> legacy;

    CompactSerde(Class<T> type, Codec<T> codec) {
        this.type = type;
        this.codec = codec;
        this.legacy = new JsonSerde<>(type);
    }

    byte[] write(T value) {
        if (value == null) {
            return null;
        }
        var out = new CompactEncoding.Writer();
        out.writeByte(FORMAT_V2);
        codec.write(value, out);
        return out.toByteArray();
    }

    T read(byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length == 0) {
            throw new SerializationException("empty " + type.getSimpleName());
        }
        if (data[0] == JSON_OBJECT) {
            return legacy.read(data);
        }
        if (data[0] != FORMAT_V2) {
            throw new SerializationException(
                    "unknown format " + data[0] + " of " + type.getSimpleName());
        }
        try {
            var in = new CompactEncoding.Reader(data, 1);
            T value = codec.read(in);
            in.expectEnd();
            return value;
        } catch (BufferUnderflowException e) {
            throw new SerializationException("truncated " + type.getSimpleName(), e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new SerializationException(
                    "invalid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
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
