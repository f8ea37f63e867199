package io.refreshorchestrator.benchmark.compare;

import static io.refreshorchestrator.benchmark.compare.LagCalculator.UNCOVERED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LagCalculatorTest {

    private static RefreshRun run(long started, long finished) {
        return new RefreshRun("analytics.v", started, finished);
    }

    @Test
    void shouldCoverACommitOnlyByARefreshThatStartedAfterIt() {
        // given a commit at 1,000 and a refresh running across it (started 900, finished 1,200)
        // and a later one (started 1,500, finished 1,800)
        long[] commits = {1_000};
        var runs = List.of(run(900, 1_200), run(1_500, 1_800));

        // when
        long[] lags = LagCalculator.lags(commits, LagCalculator.coveredAt(commits, runs));

        // then the refresh that finished after the commit but started before it does not count
        assertThat(lags).containsExactly(800);
    }

    @Test
    void shouldCountANeverCoveredCommitAsUncoveredNotZero() {
        // given a commit after the last refresh started
        long[] commits = {1_000, 2_000};
        var runs = List.of(run(1_100, 1_300), run(1_900, 2_400));

        // when
        long[] lags = LagCalculator.lags(commits, LagCalculator.coveredAt(commits, runs));

        // then
        assertThat(lags).containsExactly(300, UNCOVERED);
    }

    @Test
    void shouldTakeTheEarliestFinishAmongLaterStartsWhenRunsOverlap() {
        // given a long run started first and a short one started later that finished sooner
        long[] commits = {0};
        var runs = List.of(run(10, 5_000), run(20, 100));

        // when
        long[] covered = LagCalculator.coveredAt(commits, runs);

        // then
        assertThat(covered).containsExactly(100);
    }

    @Test
    void shouldCoverAViewOnAViewOnlyAfterTheUpstreamRefreshFinished() {
        // given upstream A covers the commit at 1,000 by its run finishing at 1,400; B ran at
        // 1,100 (after the commit, before A held it) and again at 1,500
        long[] commits = {1_000};
        var upstream = List.of(run(1_050, 1_400));
        var downstream = List.of(run(1_100, 1_200), run(1_500, 1_600));

        // when
        long[] upstreamCovered = LagCalculator.coveredAt(commits, upstream);
        long[] lags =
                LagCalculator.lags(commits, LagCalculator.coveredAt(upstreamCovered, downstream));

        // then
        assertThat(lags).containsExactly(600);
    }

    @Test
    void shouldKeepAnUncoveredUpstreamUncoveredDownstream() {
        long[] covered = LagCalculator.coveredAt(new long[] {UNCOVERED}, List.of(run(0, 10)));

        assertThat(covered).containsExactly(UNCOVERED);
    }

    @Test
    void shouldCountRefreshesThatFoundNoNewCommitAsIdle() {
        // given commits at 100 and 150; runs at 200 (covers them), 300 (nothing new), 400 (a
        // commit at 350 is new), and 500 outside the window
        long[] commits = {100, 150, 350};
        var runs = List.of(run(200, 210), run(300, 310), run(400, 410), run(500, 510));

        // when
        int idle = LagCalculator.idleRuns(commits, runs, 0, 500);

        // then
        assertThat(idle).isEqualTo(1);
    }

    @Test
    void shouldJudgeAViewOnAViewIdleByItsUpstreamsRefreshesNotBySourceCommits() {
        // given commits at 6,000 and 8,000; the upstream covers them by runs finishing at 7,050
        // and 9,130; the view on it runs at 8,200 and 10,200 (each after an upstream run)
        var commits = List.of(new Commit(1, 1, 1, 6_000), new Commit(2, 1, 1, 8_000));
        var runs =
                List.of(
                        new RefreshRun(WorkloadSchema.BY_CAMPAIGN, 7_000, 7_050),
                        new RefreshRun(WorkloadSchema.BY_CAMPAIGN, 9_000, 9_130),
                        new RefreshRun(WorkloadSchema.TOP_CAMPAIGNS, 8_200, 8_250),
                        new RefreshRun(WorkloadSchema.TOP_CAMPAIGNS, 10_200, 10_250));
        var top = runs.stream().filter(r -> r.view().equals(WorkloadSchema.TOP_CAMPAIGNS));

        // when
        long[] ready = ViewLags.readyAt(commits, runs).get(WorkloadSchema.TOP_CAMPAIGNS);
        int idle = LagCalculator.idleRuns(ready, top.toList(), 0, 20_000);

        // then the run at 10,200 is not idle: no commit came after 8,200, but the upstream only
        // held the one at 8,000 from 9,130 on
        assertThat(ready).containsExactly(7_050, 9_130);
        assertThat(idle).isZero();
    }
}
