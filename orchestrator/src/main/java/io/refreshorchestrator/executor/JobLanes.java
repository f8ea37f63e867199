package io.refreshorchestrator.executor;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Commands waiting to run, one FIFO lane per job: at most one command of a job runs at a time in
 * this instance (so each finds the previous one's run and is coalesced with it), while commands of
 * other jobs run beside it. Used by the consumer thread only.
 */
final class JobLanes {

    /** A command waiting in its lane. */
    record Work(String job, ConsumerRecord<String, byte[]> record, Decoded.Accepted command) {
        TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }
    }

    private final Map<String, Deque<Work>> lanes = new LinkedHashMap<>();
    private final Set<String> running = new HashSet<>();
    private int queued;

    void add(Work work) {
        lanes.computeIfAbsent(work.job(), job -> new ArrayDeque<>()).add(work);
        queued++;
    }

    /** The head of a lane whose job is not running, now marked running; empty when none. */
    Optional<Work> take() {
        for (var lane : lanes.entrySet()) {
            if (!running.contains(lane.getKey()) && !lane.getValue().isEmpty()) {
                running.add(lane.getKey());
                queued--;
                return Optional.of(lane.getValue().poll());
            }
        }
        return Optional.empty();
    }

    void finished(String job) {
        running.remove(job);
        var lane = lanes.get(job);
        if (lane != null && lane.isEmpty()) {
            lanes.remove(job);
        }
    }

    /** Drops waiting commands of partitions taken away (running ones finish). */
    void drop(Collection<TopicPartition> partitions) {
        for (var lane : lanes.values()) {
            int before = lane.size();
            lane.removeIf(work -> partitions.contains(work.partition()));
            queued -= before - lane.size();
        }
        lanes.entrySet().removeIf(e -> e.getValue().isEmpty() && !running.contains(e.getKey()));
    }

    int queued() {
        return queued;
    }

    int running() {
        return running.size();
    }
}
