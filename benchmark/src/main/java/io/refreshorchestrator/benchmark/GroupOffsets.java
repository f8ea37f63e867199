package io.refreshorchestrator.benchmark;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** How far a consumer group got: its committed offsets against the partitions' end offsets. */
final class GroupOffsets {

    private GroupOffsets() {}

    static boolean reached(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> ends) {
        for (var end : ends.entrySet()) {
            if (committed.getOrDefault(end.getKey(), 0L) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    static Map<TopicPartition, Long> ends(Admin admin, List<TopicPartition> parts)
            throws Exception {
        var request = new HashMap<TopicPartition, OffsetSpec>();
        for (var part : parts) {
            request.put(part, OffsetSpec.latest());
        }
        var ends = new HashMap<TopicPartition, Long>();
        admin.listOffsets(request)
                .all()
                .get(30, TimeUnit.SECONDS)
                .forEach((part, info) -> ends.put(part, info.offset()));
        return ends;
    }

    static Map<TopicPartition, Long> committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
        var committed = new HashMap<TopicPartition, Long>();
        offsets.forEach(
                (part, offset) -> {
                    if (offset != null) {
                        committed.put(part, offset.offset());
                    }
                });
        return committed;
    }
}
