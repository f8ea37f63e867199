package io.refreshorchestrator.benchmark.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.freshness.LagCalculator;
import io.refreshorchestrator.freshness.RefreshRun;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compare benchmark's view chain over the shared lag arithmetic. */
class ViewLagsTest {

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
