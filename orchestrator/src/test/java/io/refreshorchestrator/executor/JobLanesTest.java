package io.refreshorchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** One command per job at a time, other jobs beside it. */
class JobLanesTest {

    private final JobLanes lanes = new JobLanes();

    private static JobLanes.Work work(String job, int partition, long offset) {
        return new JobLanes.Work(
                job, new ConsumerRecord<>("commands", partition, offset, job, new byte[0]), null);
    }

    @Test
    void shouldRunOneCommandPerJobAtATimeAndOtherJobsBesideIt() {
        // given
        lanes.add(work("a", 0, 0));
        lanes.add(work("a", 0, 1));
        lanes.add(work("b", 0, 2));

        // when / then
        assertThat(lanes.take().orElseThrow().record().offset()).isZero();
        assertThat(lanes.take().orElseThrow().job()).isEqualTo("b");
        assertThat(lanes.take()).isEmpty();
        assertThat(lanes.running()).isEqualTo(2);

        lanes.finished("a");
        assertThat(lanes.take().orElseThrow().record().offset()).isEqualTo(1);
        assertThat(lanes.queued()).isZero();
    }

    @Test
    void shouldDropWaitingCommandsOfPartitionsTakenAway() {
        lanes.add(work("a", 0, 0));
        lanes.add(work("a", 1, 0));
        lanes.add(work("b", 0, 1));

        lanes.drop(List.of(new TopicPartition("commands", 0)));

        assertThat(lanes.queued()).isEqualTo(1);
        assertThat(lanes.take().orElseThrow().partition().partition()).isEqualTo(1);
        assertThat(lanes.take()).isEmpty();
    }
}
