package io.refreshorchestrator.benchmark.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class OpenLoopWriterTest {

    /** A write that takes 300 ms the first time and nothing afterwards, on one thread. */
    private static OpenLoopWriter.Session stallingOnce() {
        return new OpenLoopWriter.Session() {
            @Override
            public Commit write(int index) {
                if (index == 0) {
                    LockSupport.parkNanos(300_000_000L);
                }
                return new Commit(index, 0, 0, Micros.now());
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void shouldChargeAStallToTheArrivalsQueuedBehindIt() throws Exception {
        // given 20 arrivals 10 ms apart, one writer whose first write stalls for 300 ms
        var schedule = new OpenLoopSchedule(100, 20);

        // when
        var outcome = new OpenLoopWriter(1).run(schedule, OpenLoopWriterTest::stallingOnce);

        // then every arrival is written, and the ones due during the stall are late by about
        // the rest of the stall: a closed loop would have reported them as ~0 ms
        assertThat(outcome.commits()).hasSize(20);
        assertThat(outcome.failures()).isZero();
        assertThat(outcome.latencyMicros().getTotalCount()).isEqualTo(20);
        assertThat(outcome.latencyMicros().getValueAtPercentile(50)).isGreaterThan(100_000);
        assertThat(outcome.latencyMicros().getMaxValue()).isGreaterThanOrEqualTo(290_000);
    }
}
