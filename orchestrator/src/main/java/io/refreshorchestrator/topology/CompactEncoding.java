package io.refreshorchestrator.topology;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * The primitives of {@link CompactSerde}'s layout: zig-zag variable-length integers as in Kafka's
 * own record format ({@link ByteUtils}), length-prefixed UTF-8 strings, and a presence byte before
 * each nullable field.
 */
final class CompactEncoding {

    private CompactEncoding() {}

    /** Appends fields to a growing buffer. */
    static final class Writer {
        private ByteBuffer buffer = ByteBuffer.allocate(64);

        void writeByte(int value) {
            ensure(1);
            buffer.put((byte) value);
        }

        void writeBoolean(boolean value) {
            writeByte(value ? 1 : 0);
        }

        void writeLong(long value) {
            ensure(ByteUtils.sizeOfVarlong(value));
            ByteUtils.writeVarlong(value, buffer);
        }

        void writeNullableLong(Long value) {
            writeBoolean(value != null);
            if (value != null) {
                writeLong(value);
            }
        }

        void writeString(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            writeLong(utf8.length);
            ensure(utf8.length);
            buffer.put(utf8);
        }

        void writeNullableString(String value) {
            writeBoolean(value != null);
            if (value != null) {
                writeString(value);
            }
        }

        void writeInstant(Instant value) {
            writeLong(value.getEpochSecond());
            writeLong(value.getNano());
        }

        void writeNullableInstant(Instant value) {
            writeBoolean(value != null);
            if (value != null) {
                writeInstant(value);
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer.array(), buffer.position());
        }

        private void ensure(int more) {
            if (buffer.remaining() < more) {
                var larger =
                        ByteBuffer.allocate(
                                Math.max(buffer.capacity() * 2, buffer.position() + more));
                larger.put(buffer.array(), 0, buffer.position());
                buffer = larger;
            }
        }
    }

    /** Reads fields in the order they were written; throws on truncated or malformed input. */
    static final class Reader {
        private final ByteBuffer buffer;

        Reader(byte[] bytes, int offset) {
            this.buffer = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
        }

        int readByte() {
            return buffer.get();
        }

        boolean readBoolean() {
            int value = readByte();
            if (value != 0 && value != 1) {
                throw new IllegalArgumentException("not a boolean: " + value);
            }
            return value == 1;
        }

        long readLong() {
            return ByteUtils.readVarlong(buffer);
        }

        Long readNullableLong() {
            return readBoolean() ? readLong() : null;
        }

        String readString() {
            long length = readLong();
            if (length < 0 || length > buffer.remaining()) {
                throw new BufferUnderflowException();
            }
            String value =
                    new String(
                            buffer.array(),
                            buffer.arrayOffset() + buffer.position(),
                            (int) length,
                            StandardCharsets.UTF_8);
            buffer.position(buffer.position() + (int) length);
            return value;
        }

        String readNullableString() {
            return readBoolean() ? readString() : null;
        }

        Instant readInstant() {
            long seconds = readLong();
            long nanos = readLong();
            return Instant.ofEpochSecond(seconds, nanos);
        }

        Instant readNullableInstant() {
            return readBoolean() ? readInstant() : null;
        }

        void expectEnd() {
            if (buffer.hasRemaining()) {
                throw new IllegalStateException(buffer.remaining() + " bytes after the last field");
            }
        }
    }
}
