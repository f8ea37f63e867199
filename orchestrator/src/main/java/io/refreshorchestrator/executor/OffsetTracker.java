package io.refreshorchestrator.executor;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each partition may be committed while commands run in parallel: up to the first
 * one not finished yet, never past it, so a later command that finished first never lets an earlier
 * one be lost. Used by the consumer thread only.
 */
final class OffsetTracker {

    private final Map<TopicPartition, TreeSet<Long>> unfinished = new HashMap<>();
    private final Map<TopicPartition, Long> nextOffset = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    /** A record handed out; returns false when this offset was handed out already. */
    boolean started(TopicPartition partition, long offset) {
        long next = nextOffset.getOrDefault(partition, -1L);
        if (next >= 0 && offset < next) {
            return false;
        }
        // Where this member started on the partition: nothing to commit below it.
        committed.putIfAbsent(partition, offset);
        unfinished.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
        nextOffset.put(partition, offset + 1);
        return true;
    }

    /** A record whose output was acknowledged; ignored for a partition no longer tracked. */
    void finished(TopicPartition partition, long offset) {
        var offsets = unfinished.get(partition);
        if (offsets != null) {
            offsets.remove(offset);
        }
    }

    /** What can be committed now beyond what already was, per partition. */
    Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        nextOffset.forEach(
                (partition, next) -> {
                    var pending = unfinished.get(partition);
                    long upTo = pending == null || pending.isEmpty() ? next : pending.first();
                    if (upTo > committed.getOrDefault(partition, -1L)) {
                        offsets.put(partition, new OffsetAndMetadata(upTo));
                    }
                });
        return offsets;
    }

    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
    }

    /** Forgets partitions taken away: their new owner starts from the committed offset. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(
                partition -> {
                    unfinished.remove(partition);
                    nextOffset.remove(partition);
                    committed.remove(partition);
                });
    }

    /** Only {@code partitions}' part of {@link #committable()}. */
    Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> partitions) {
        var offsets = committable();
        offsets.keySet().retainAll(partitions);
        return offsets;
    }
}
