package io.refreshorchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.events.ChangeSummary;
import io.refreshorchestrator.events.JobKind;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobActivityTest {

    private static final Instant T0 = Instant.parse("2026-11-29T03:00:00Z");
    private static final String JOB = "analytics.v";

    @Test
    void shouldBeZeroWithNothingUncovered() {
        assertThat(new JobActivity().staleness(null, T0)).isEqualTo(Duration.ZERO);
    }

    @Test
    void shouldCountFromTheOldestPendingChange() {
        // given a change the topology still holds, committed at T0
        var activity = new JobActivity();

        // then
        assertThat(activity.staleness(T0, T0.plusSeconds(7))).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void shouldStayStaleUntilARefreshSucceedsAfterTheChange() {
        // given a command for changes committed at T0..T0+2s
        var activity = new JobActivity();
        var command = command(T0, T0.plusSeconds(2));
        activity.command(command);

        // when its run fails
        activity.result(result(command.id(), Status.FAILED, T0.plusSeconds(3)));

        // then the changes are still uncovered
        assertThat(activity.staleness(null, T0.plusSeconds(10))).isEqualTo(Duration.ofSeconds(10));

        // and when a later run succeeds (a retry with its own command)
        activity.result(result(UUID.randomUUID(), Status.SUCCEEDED, T0.plusSeconds(5)));

        // then nothing is stale
        assertThat(activity.staleness(null, T0.plusSeconds(10))).isEqualTo(Duration.ZERO);
    }

    @Test
    void shouldCountOnlyFromTheLastSuccessWhenACommandStraddlesIt() {
        // given a success that started at T0+5s, and a command of changes T0..T0+8s
        var activity = new JobActivity();
        activity.result(result(UUID.randomUUID(), Status.SUCCEEDED, T0.plusSeconds(5)));
        activity.command(command(T0, T0.plusSeconds(8)));

        // then the uncovered part begins at the success, not at T0
        assertThat(activity.staleness(null, T0.plusSeconds(10))).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void shouldKeepOnlyResultsOfTheWindow() {
        // given two results
        var activity = new JobActivity();
        activity.result(result(UUID.randomUUID(), Status.SUCCEEDED, T0));
        activity.result(result(UUID.randomUUID(), Status.FAILED, T0.plusSeconds(60)));

        // when the window moves past the first
        activity.forgetBefore(T0.plusSeconds(30));

        // then
        assertThat(activity.recent())
                .extracting(RefreshResult::status)
                .containsExactly(Status.FAILED);
        assertThat(activity.last().status()).isEqualTo(Status.FAILED);
    }

    @Test
    void shouldTakeNearestRankPercentiles() {
        assertThat(JobsReport.percentile(List.of(), 0.5)).isNull();
        assertThat(JobsReport.percentile(List.of(10L, 20L, 30L, 40L), 0.5)).isEqualTo(20L);
        assertThat(JobsReport.percentile(List.of(10L, 20L, 30L, 40L), 0.95)).isEqualTo(40L);
    }

    private static RefreshCommand command(Instant first, Instant last) {
        return RefreshCommand.of(
                UUID.randomUUID(),
                JOB,
                Reason.DATA_CHANGE,
                last,
                "test",
                new ChangeSummary(2, List.of("public.t"), first, last, 7L, 70L));
    }

    private static RefreshResult result(UUID commandId, Status status, Instant startedAt) {
        return new RefreshResult(
                RefreshResult.CURRENT_VERSION,
                commandId,
                JOB,
                JobKind.REFRESH,
                status,
                Reason.DATA_CHANGE,
                null,
                1,
                startedAt,
                startedAt,
                startedAt.plusMillis(100),
                100L,
                null,
                null,
                null,
                null,
                null);
    }
}
