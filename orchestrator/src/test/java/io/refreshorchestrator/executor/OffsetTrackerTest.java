package io.refreshorchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Offsets committed in order per partition, whatever order commands finish in. */
class OffsetTrackerTest {

    private static final TopicPartition P0 = new TopicPartition("commands", 0);
    private static final TopicPartition P1 = new TopicPartition("commands", 1);
    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void shouldNeverCommitPastAnUnfinishedCommand() {
        // given
        tracker.started(P0, 0);
        tracker.started(P0, 1);
        tracker.started(P0, 2);

        // when: the later ones finish first
        tracker.finished(P0, 1);
        tracker.finished(P0, 2);

        // then
        assertThat(tracker.committable()).isEmpty();

        // when: the first one finishes
        tracker.finished(P0, 0);

        // then
        assertThat(tracker.committable()).isEqualTo(Map.of(P0, new OffsetAndMetadata(3)));
    }

    @Test
    void shouldOfferEachOffsetOnceCommitted() {
        tracker.started(P1, 7);
        tracker.finished(P1, 7);
        var offsets = tracker.committable();
        tracker.committed(offsets);

        assertThat(offsets).isEqualTo(Map.of(P1, new OffsetAndMetadata(8)));
        assertThat(tracker.committable()).isEmpty();
    }

    @Test
    void shouldRefuseAnOffsetHandedOutAlready() {
        assertThat(tracker.started(P0, 4)).isTrue();
        assertThat(tracker.started(P0, 4)).isFalse();
        assertThat(tracker.started(P0, 3)).isFalse();
        assertThat(tracker.started(P0, 5)).isTrue();
    }

    @Test
    void shouldForgetPartitionsTakenAway() {
        tracker.started(P0, 0);
        tracker.started(P1, 0);
        tracker.finished(P1, 0);

        tracker.forget(List.of(P0));
        tracker.finished(P0, 0);

        assertThat(tracker.committable()).isEqualTo(Map.of(P1, new OffsetAndMetadata(1)));
        assertThat(tracker.started(P0, 0)).isTrue();
    }
}
