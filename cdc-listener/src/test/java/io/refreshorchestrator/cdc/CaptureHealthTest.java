package io.refreshorchestrator.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.cdc.CaptureHealth.State;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptureHealthTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final CaptureHealth health = new CaptureHealth(clock);

    @Test
    void shouldKeepWhenCaptureWentDownAcrossRetries() {
        // given
        health.streaming();
        clock.now = Instant.parse("2026-01-01T00:01:00Z");

        // when: it fails, restarts and fails again
        health.down("database away", false);
        clock.now = Instant.parse("2026-01-01T00:01:05Z");
        health.starting();
        health.down("database away", false);

        // then
        var snapshot = health.snapshot();
        assertThat(snapshot.state()).isEqualTo(State.RETRYING);
        assertThat(snapshot.since()).isEqualTo(Instant.parse("2026-01-01T00:01:00Z"));
        assertThat(snapshot.reason()).isEqualTo("database away");
        assertThat(snapshot.restarts()).isEqualTo(2);
        assertThat(snapshot.down()).isTrue();
    }

    @Test
    void shouldTellAFailureThatNeedsAnOperatorFromOneThatIsRetried() {
        health.down("role lacks REPLICATION", true);

        assertThat(health.snapshot().state()).isEqualTo(State.FAILED);
        assertThat(health.snapshot().down()).isTrue();
    }

    @Test
    void shouldNotifyStateChangesOnlyAndKeepTheLatestCommitTime() {
        // given
        List<State> seen = new ArrayList<>();
        health.onStateChange(snapshot -> seen.add(snapshot.state()));

        // when
        health.streaming();
        health.eventCommitted(Instant.parse("2026-01-01T00:00:02Z"));
        health.eventCommitted(Instant.parse("2026-01-01T00:00:01Z"));
        health.retainedWal(4096);
        health.down("broker away", false);
        health.down("broker away", false);
        health.streaming();

        // then
        assertThat(seen).containsExactly(State.STREAMING, State.RETRYING, State.STREAMING);
        var snapshot = health.snapshot();
        assertThat(snapshot.lastEventCommittedAt())
                .isEqualTo(Instant.parse("2026-01-01T00:00:02Z"));
        assertThat(snapshot.retainedWalBytes()).isEqualTo(4096);
        assertThat(snapshot.reason()).isNull();
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
