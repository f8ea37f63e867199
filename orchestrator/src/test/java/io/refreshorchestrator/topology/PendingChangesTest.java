package io.refreshorchestrator.topology;

import static io.refreshorchestrator.topology.Jobs.ORDERS;
import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.discovery.JobPolicy;
import io.refreshorchestrator.discovery.RelationName;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Where a job's deadline lies: quiet period after the latest arrival, bounded by max delay. */
class PendingChangesTest {

    private static final JobPolicy POLICY =
            Jobs.policy(Duration.ofSeconds(1), Duration.ofSeconds(5));
    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    @Test
    void shouldCountCaptureLagUpToOneQuietPeriodAgainstTheMaxDelay() {
        // given a change that committed 400 ms (less than the 1 s quiet period) before it reached
        // us
        var change = new TableChange(ORDERS, NOW.minusMillis(400), 1L, 10L);

        // when it is the first pending change, and changes keep arriving
        var pending = PendingChanges.first(change, NOW, POLICY);

        // then the max delay counts from its commit
        assertThat(PendingChanges.deadline(change.committedAt(), NOW, NOW.plusSeconds(4), POLICY))
                .isEqualTo(NOW.minusMillis(400).plus(POLICY.maxDelay()));
        assertThat(pending.deadline()).isEqualTo(NOW.plus(POLICY.debounce()));
    }

    @Test
    void shouldNotStormWhenCaptureFallsBehindByMoreThanTheMaxDelay() {
        // given a change that committed 30 s before it reached us (a backlog being caught up)
        var change = new TableChange(ORDERS, NOW.minusSeconds(30), 1L, 10L);

        // when it is the first pending change
        var pending = PendingChanges.first(change, NOW, POLICY);

        // then it still waits for a quiet period instead of being due at once, and the max delay
        // credits at most one quiet period of the lag
        assertThat(pending.deadline()).isEqualTo(NOW.plus(POLICY.debounce()));
        assertThat(PendingChanges.deadline(change.committedAt(), NOW, NOW.plusSeconds(10), POLICY))
                .isEqualTo(NOW.minus(POLICY.debounce()).plus(POLICY.maxDelay()));
    }

    @Test
    void shouldNotLetADatabaseClockAheadOfOursPushTheBoundOut() {
        // given a database clock 1 min ahead of ours, and changes every 500 ms
        var pending =
                PendingChanges.first(
                        new TableChange(ORDERS, NOW.plusSeconds(60), 1L, 10L), NOW, POLICY);
        for (int i = 1; i <= 20; i++) {
            Instant arrival = NOW.plusMillis(500L * i);
            pending =
                    pending.fold(
                            new TableChange(ORDERS, arrival.plusSeconds(60), 2L, 10L + i),
                            arrival,
                            POLICY);
        }

        // then the bound counts from the first arrival
        assertThat(pending.deadline()).isEqualTo(NOW.plusSeconds(5));
        assertThat(pending.firstChangeAt()).isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void shouldNotMoveTheQuietPeriodBackWhenTheWallClockSteppedBack() {
        // given a change, then another seen "earlier" after an NTP step back
        var pending =
                PendingChanges.first(new TableChange(ORDERS, NOW, 1L, 10L), NOW, POLICY)
                        .fold(new TableChange(ORDERS, NOW, 2L, 11L), NOW.minusSeconds(3), POLICY);

        // then the quiet period still runs from the latest arrival
        assertThat(pending.lastSeenAt()).isEqualTo(NOW);
        assertThat(pending.deadline()).isEqualTo(NOW.plusSeconds(1));
    }

    @Test
    void shouldReadAnEntryStoredBeforeUpstreamRefreshesWereCarriedAsCarryingNone() {
        // given: a debounce-pending entry as the previous version wrote it to its changelog
        String stored =
                "{\"count\":1,\"tables\":[\"public.orders\"],"
                        + "\"firstChangeAt\":\"2026-03-02T10:00:00Z\","
                        + "\"lastChangeAt\":\"2026-03-02T10:00:00Z\",\"firstLsn\":10,"
                        + "\"lastTxId\":1,\"lastLsn\":10,"
                        + "\"firstSeenAt\":\"2026-03-02T10:00:00Z\","
                        + "\"lastSeenAt\":\"2026-03-02T10:00:00Z\","
                        + "\"deadline\":\"2026-03-02T10:00:01Z\",\"leading\":false}";

        // when
        var pending =
                RefreshTopology.PENDING_SERDE.read(
                        stored.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        // then: an upstream refresh folded in after the upgrade is carried
        assertThat(pending.summary().upstreamTxIds()).isEmpty();
        var cascaded =
                pending.fold(
                        new TableChange(
                                RelationName.parse("analytics.daily"), NOW, null, null, 77L),
                        NOW,
                        POLICY);
        assertThat(cascaded.summary().upstreamTxIds()).containsEntry("analytics.daily", 77L);
    }
}
