package io.refreshorchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.events.ChangeSummary;
import io.refreshorchestrator.events.JobKind;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.Status;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** When a SUCCEEDED run covers a command: the only ground on which a command is skipped. */
class CoverageTest {

    private static final Instant T0 = Instant.parse("2026-11-22T14:00:00Z");
    private static final PgSnapshot SAW_UP_TO_999 = PgSnapshot.parse("1000:1000:");

    private static RefreshCommand change(Instant lastChangeAt, Long txId) {
        return RefreshCommand.of(
                UUID.randomUUID(),
                "analytics.v",
                Reason.DATA_CHANGE,
                lastChangeAt.plusSeconds(1),
                "test",
                new ChangeSummary(1, List.of("public.t"), lastChangeAt, lastChangeAt, txId, null));
    }

    /**
     * A cascaded command: the source change committed at {@code changeAt}, then these refreshes.
     */
    private static RefreshCommand cascade(Instant changeAt, Map<String, Long> upstreamTxIds) {
        return RefreshCommand.of(
                UUID.randomUUID(),
                "analytics.weekly",
                Reason.CASCADE,
                changeAt.plusSeconds(5),
                "test",
                new ChangeSummary(
                        1,
                        List.copyOf(upstreamTxIds.keySet()),
                        changeAt,
                        changeAt,
                        null,
                        null,
                        upstreamTxIds));
    }

    private static RefreshCommand manual(Instant requestedAt) {
        return RefreshCommand.of(
                UUID.randomUUID(),
                "analytics.v",
                Reason.MANUAL,
                requestedAt,
                "test",
                ChangeSummary.none());
    }

    @Test
    void shouldCoverAChangeOnlyWhenTheRunStartedAfterItsCommit() {
        var run = new LastRun(UUID.randomUUID(), T0, SAW_UP_TO_999);

        assertThat(run.covers(change(T0.minusMillis(1), null))).isTrue();
        assertThat(run.covers(change(T0, null))).isFalse();
        assertThat(run.covers(change(T0.plusMillis(1), null))).isFalse();
    }

    @Test
    void shouldNotCoverAChangeWhoseTransactionTheRunDidNotSee() {
        var run = new LastRun(UUID.randomUUID(), T0, PgSnapshot.parse("990:1000:995"));

        assertThat(run.covers(change(T0.minusSeconds(1), 989L))).isTrue();
        assertThat(run.covers(change(T0.minusSeconds(1), 996L))).isTrue();
        assertThat(run.covers(change(T0.minusSeconds(1), 995L))).isFalse();
        assertThat(run.covers(change(T0.minusSeconds(1), 1000L))).isFalse();
    }

    @Test
    void shouldNotCoverACascadeByARunThatStartedAfterTheSourceCommitButBeforeTheUpstreamRefresh() {
        // given: the trace of issue 8. The source change committed a second before the run
        // started, but the refresh of the upstream view (transaction 995) was still running then.
        var run = new LastRun(UUID.randomUUID(), T0, PgSnapshot.parse("990:1000:995"));

        // then: the run read the old upstream view
        assertThat(run.covers(cascade(T0.minusSeconds(1), Map.of("analytics.daily", 995L))))
                .isFalse();
        assertThat(run.covers(cascade(T0.minusSeconds(1), Map.of("analytics.daily", 1000L))))
                .as("a refresh that began after the run's snapshot")
                .isFalse();
        assertThat(run.covers(cascade(T0.minusSeconds(1), Map.of("analytics.daily", 996L))))
                .as("a refresh that committed before the run's snapshot")
                .isTrue();
    }

    @Test
    void shouldCoverADiamondOnlyWhenTheRunSawTheRefreshOfEveryUpstream() {
        // given: 996 committed before the snapshot, 995 (an older transaction) had not
        var run = new LastRun(UUID.randomUUID(), T0, PgSnapshot.parse("990:1000:995"));

        // then: seeing the later-committed refresh says nothing about the other one
        assertThat(run.covers(cascade(T0.minusSeconds(1), Map.of("d.a", 996L, "d.b", 995L))))
                .isFalse();
        assertThat(run.covers(cascade(T0.minusSeconds(1), Map.of("d.a", 996L, "d.b", 989L))))
                .isTrue();
    }

    @Test
    void shouldJudgeACascadeOfAnOlderProducerByTheCommitTimeAsBefore() {
        var run = new LastRun(UUID.randomUUID(), T0, PgSnapshot.parse("990:1000:995"));

        assertThat(run.covers(cascade(T0.minusSeconds(1), Map.of()))).isTrue();
        assertThat(run.covers(cascade(T0, Map.of()))).isFalse();
    }

    @Test
    void shouldCoverAManualCommandRequestedBeforeTheRunStarted() {
        var run = new LastRun(UUID.randomUUID(), T0, SAW_UP_TO_999);

        assertThat(run.covers(manual(T0.minusMillis(1)))).isTrue();
        assertThat(run.covers(manual(T0.plusMillis(1)))).isFalse();
    }

    @Test
    void shouldCoverARedeliveredCommandWhateverTheClocksSay() {
        var command = manual(T0.plusSeconds(60));
        var run = new LastRun(command.id(), T0, SAW_UP_TO_999);

        assertThat(run.covers(command)).isTrue();
        assertThat(run.coverDetail(command)).startsWith("already ran as this command");
    }

    @Test
    void shouldPublishARedeliveredCommandsOwnRunAgainSoThatItCascades() {
        // given: the command ran and committed, then the executor died before its result was
        // acknowledged
        var command = manual(T0.minusSeconds(1));
        var run = new LastRun(command.id(), T0, SAW_UP_TO_999).finished(T0.plusMillis(250), 4242L);

        // when
        var result = Results.covered(command, JobKind.REFRESH, run, T0.plusSeconds(30));

        // then
        assertThat(result.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(result.txId()).isEqualTo(4242L);
        assertThat(result.startedAt()).isEqualTo(T0);
        assertThat(result.finishedAt()).isEqualTo(T0.plusMillis(250));
        assertThat(result.durationMs()).isEqualTo(250);
        assertThat(result.detail()).startsWith("already ran as this command (redelivered)");
    }

    @Test
    void shouldSkipACommandAnotherCommandsRunCovers() {
        var command = manual(T0.minusSeconds(1));
        var run = new LastRun(UUID.randomUUID(), T0, SAW_UP_TO_999).finished(T0, 4242L);

        var result = Results.covered(command, JobKind.REFRESH, run, T0.plusSeconds(30));

        assertThat(result.status()).isEqualTo(Status.SKIPPED);
        assertThat(result.txId()).isNull();
        assertThat(result.detail()).startsWith("covered by run " + run.commandId());
    }

    @Test
    void shouldNameTheCoveringRun() {
        var runId = UUID.randomUUID();
        var run = new LastRun(runId, T0, SAW_UP_TO_999);

        assertThat(run.coverDetail(manual(T0.minusSeconds(1))))
                .isEqualTo("covered by run " + runId + " started at " + T0);
    }

    @Test
    void shouldKeepTheLatestRun() {
        var early = new LastRun(UUID.randomUUID(), T0, SAW_UP_TO_999);
        var late = new LastRun(UUID.randomUUID(), T0.plusSeconds(1), SAW_UP_TO_999);

        assertThat(LastRun.latest(early, late)).isSameAs(late);
        assertThat(LastRun.latest(late, early)).isSameAs(late);
        assertThat(LastRun.latest(null, early)).isSameAs(early);
    }

    @Test
    void shouldRoundTripASnapshotsText() {
        var snapshot = PgSnapshot.parse("10:20:12,15");

        assertThat(RunLedger.text(snapshot)).isEqualTo("10:20:12,15");
        assertThat(snapshot.sawCommitted(9)).isTrue();
        assertThat(snapshot.sawCommitted(12)).isFalse();
        assertThat(snapshot.sawCommitted(13)).isTrue();
        assertThat(snapshot.sawCommitted(20)).isFalse();
    }
}
