package io.refreshorchestrator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollTest {

    @Test
    void shouldReturnOnceTheProbeIsReady() {
        // given
        var calls = new AtomicInteger();

        // when
        Poll.until(
                "the third call",
                Duration.ofSeconds(5),
                () -> calls.incrementAndGet() == 3,
                () -> "");

        // then
        assertThat(calls).hasValue(3);
    }

    @Test
    void shouldTreatProbeExceptionsAsNotYetReady() {
        // given
        var calls = new AtomicInteger();

        // when
        Poll.until(
                "a flaky probe",
                Duration.ofSeconds(5),
                () -> {
                    if (calls.incrementAndGet() < 3) {
                        throw new IOException("connection refused");
                    }
                    return true;
                },
                () -> "");

        // then
        assertThat(calls).hasValue(3);
    }

    @Test
    void shouldNameWhatWasAwaitedTheLastErrorAndTheDiagnosticsOnTimeout() {
        assertThatThrownBy(
                        () ->
                                Poll.until(
                                        "the broker to answer",
                                        Duration.ofMillis(200),
                                        () -> {
                                            throw new IOException("connection refused");
                                        },
                                        () -> "last log line"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Timed out after 200 ms waiting for the broker to answer")
                .hasMessageContaining("connection refused")
                .hasMessageContaining("last log line")
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void shouldStopWaitingAtOnceWhenTheProbeGivesUp() {
        // given
        long startedAt = System.nanoTime();

        // when / then
        assertThatThrownBy(
                        () ->
                                Poll.until(
                                        "the broker to answer",
                                        Duration.ofMinutes(1),
                                        () -> {
                                            throw new Poll.GiveUp("the broker exited with code 1");
                                        },
                                        () -> "fatal error in log"))
                .hasMessageContaining("Gave up waiting for the broker to answer")
                .hasMessageContaining("exited with code 1")
                .hasMessageContaining("fatal error in log");
        assertThat(Duration.ofNanos(System.nanoTime() - startedAt))
                .isLessThan(Duration.ofSeconds(5));
    }
}
