package io.refreshorchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff =
            new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new Random(42));

    @Test
    void shouldDoubleTheCeilingUpToTheMaximum() {
        assertThat(backoff.ceilingMillis(1)).isEqualTo(500);
        assertThat(backoff.ceilingMillis(2)).isEqualTo(1_000);
        assertThat(backoff.ceilingMillis(3)).isEqualTo(2_000);
        assertThat(backoff.ceilingMillis(7)).isEqualTo(30_000);
        assertThat(backoff.ceilingMillis(1_000)).isEqualTo(30_000);
    }

    @Test
    void shouldJitterBetweenHalfAndAllOfTheCeiling() {
        for (int retry = 1; retry <= 10; retry++) {
            long ceiling = backoff.ceilingMillis(retry);
            for (int draw = 0; draw < 200; draw++) {
                assertThat(backoff.delayBefore(retry).toMillis()).isBetween(ceiling / 2, ceiling);
            }
        }
    }

    @Test
    void shouldActuallySpreadDelays() {
        long distinct =
                java.util.stream.IntStream.range(0, 50)
                        .mapToLong(i -> backoff.delayBefore(3).toMillis())
                        .distinct()
                        .count();
        assertThat(distinct).isGreaterThan(10);
    }

    @Test
    void shouldAllowAZeroBackoff() {
        var none = new Backoff(Duration.ZERO, Duration.ZERO, new Random(1));
        assertThat(none.delayBefore(3)).isZero();
    }
}
