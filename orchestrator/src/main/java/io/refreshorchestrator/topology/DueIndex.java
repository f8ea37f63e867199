package io.refreshorchestrator.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The pending jobs ordered by deadline, over the {@code debounce-due-index} store: key = deadline
 * (epoch millis, 8 bytes big-endian) + job name (UTF-8), value = job name. Stores order keys as
 * unsigned bytes, so a range scan up to "now" reads the due jobs and nothing else; a punctuation
 * costs the number of due jobs, not the number of jobs.
 */
final class DueIndex {

    /** One indexed deadline. */
    record Entry(long deadlineMillis, String job) {}

    private final KeyValueStore<Bytes, String> store;

    DueIndex(KeyValueStore<Bytes, String> store) {
        this.store = store;
    }

    void add(Instant deadline, String job) {
        store.put(key(deadline.toEpochMilli(), job), job);
    }

    void remove(Instant deadline, String job) {
        remove(new Entry(deadline.toEpochMilli(), job));
    }

    void remove(Entry entry) {
        store.delete(key(entry.deadlineMillis(), entry.job()));
    }

    /**
     * The entries due at {@code nowMillis} (deadline at or before it), earliest first. Copied out
     * so the caller may delete while it works through them.
     */
    List<Entry> dueAt(long nowMillis) {
        List<Entry> due = new ArrayList<>();
        // Upper bound: the bare 8-byte prefix of the next millisecond sorts after every key of
        // this one and before every key of the next (job names are never empty), inclusive range.
        Bytes to =
                Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(clamp(nowMillis) + 1).array());
        try (var entries = store.range(key(0, ""), to)) {
            while (entries.hasNext()) {
                var next = entries.next();
                due.add(new Entry(ByteBuffer.wrap(next.key.get()).getLong(), next.value));
            }
        }
        return due;
    }

    /** Whether {@code entry} indexes {@code deadline}, or is left over from an earlier one. */
    static boolean indexes(Entry entry, Instant deadline) {
        return entry.deadlineMillis() == clamp(deadline.toEpochMilli());
    }

    static Bytes key(long deadlineMillis, String job) {
        byte[] name = job.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(
                ByteBuffer.allocate(Long.BYTES + name.length)
                        .putLong(clamp(deadlineMillis))
                        .put(name)
                        .array());
    }

    /**
     * Before 1970 is impossible for a real deadline, and would sort after every positive one in
     * unsigned byte order; so is overflow at the far end.
     */
    private static long clamp(long millis) {
        return Math.min(Math.max(millis, 0), Long.MAX_VALUE - 1);
    }
}
