package io.refreshorchestrator.benchmark.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {

    @Test
    void shouldSpaceArrivalsEvenlyAtTheRate() {
        var schedule = new OpenLoopSchedule(100, 1_000);

        assertThat(schedule.dueOffsetNanos(0)).isZero();
        assertThat(schedule.dueOffsetNanos(1)).isEqualTo(10_000_000L);
        assertThat(schedule.dueOffsetNanos(999)).isEqualTo(9_990_000_000L);
        assertThat(schedule.duration()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldKeepSlowRatesExact() {
        // one commit every 3 s: arrival 7 is due at 21 s, no drift from rounding
        var schedule = new OpenLoopSchedule(1.0 / 3, 10);

        assertThat(schedule.dueOffsetNanos(7)).isEqualTo(21_000_000_000L);
    }

    @Test
    void shouldRejectArrivalsOutsideTheSchedule() {
        var schedule = new OpenLoopSchedule(10, 5);

        assertThatThrownBy(() -> schedule.dueOffsetNanos(5))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new OpenLoopSchedule(0, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate must be positive");
    }
}
