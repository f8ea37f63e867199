package io.refreshorchestrator.benchmark.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LagStatsTest {

    @Test
    void shouldCountUncoveredCommitsApartInsteadOfAsZeroLag() {
        // given three commits covered after 2 s each and seven that no refresh covered
        long[] commits = {
            0, 10, 20, 5_000_000, 5_000_010, 5_000_020, 5_000_030, 5_000_040, 5_000_050, 5_000_060
        };
        var runs = List.of(new RefreshRun("analytics.v", 1_000_000, 2_000_000));

        // when
        var stats =
                LagStats.of(LagCalculator.lags(commits, LagCalculator.coveredAt(commits, runs)));

        // then the distribution holds only the covered ones: a zero for each uncovered commit
        // would have made the median 0
        assertThat(stats.samples()).isEqualTo(3);
        assertThat(stats.uncovered()).isEqualTo(7);
        assertThat(stats.p50Ms()).isCloseTo(2_000, within(2.0));
        assertThat(stats.maxMs()).isCloseTo(2_000, within(2.0));
    }

    @Test
    void shouldHaveNoPercentilesWhenNothingWasCovered() {
        // given a commit after the only refresh started
        long[] commits = {3_000};
        var runs = List.of(new RefreshRun("analytics.v", 1_000, 2_000));

        // when
        var stats =
                LagStats.of(LagCalculator.lags(commits, LagCalculator.coveredAt(commits, runs)));

        // then it is one uncovered commit, not a lag of zero
        assertThat(stats.samples()).isZero();
        assertThat(stats.uncovered()).isEqualTo(1);
        assertThat(stats.p50Ms()).isNaN();
    }
}
