package io.refreshorchestrator.demo;

import static io.refreshorchestrator.freshness.LagCalculator.UNCOVERED;
import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.discovery.JobAction;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobPolicy;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.freshness.RefreshRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommitCoverageTest {

    private static final long S = 1_000_000; // µs per second

    /** a.daily reads learning.events; a.summary is built on a.daily. */
    static JobGraph graph() {
        var daily =
                JobSpec.refresh(
                        RelationName.parse("a.daily"),
                        Set.of(RelationName.parse("learning.events")),
                        JobPolicy.DEFAULTS);
        var summary =
                new JobSpec(
                        "a.summary",
                        new JobAction.RefreshView(
                                RelationName.parse("a.summary"), Optional.empty()),
                        Set.of(),
                        Set.of("a.daily"),
                        JobPolicy.DEFAULTS,
                        Optional.empty());
        return JobGraph.of(List.of(daily, summary));
    }

    @Test
    void shouldCoverACascadedCommitOnlyByARunStartedAfterTheUpstreamRunCoveringIt() {
        // given a commit at 1 s and one at 3 s that no run follows
        var commits = Map.of("learning.events", new long[] {1 * S, 3 * S});
        // and runs: daily started at 2 s (the one at 0.5 s began before the commit)
        var runs =
                Map.of(
                        "a.daily",
                        List.of(
                                run("a.daily", S / 2, 6 * S / 10),
                                run("a.daily", 2 * S, 21 * S / 10)),
                        "a.summary",
                        // the first began before daily's covering run had finished
                        List.of(
                                run("a.summary", 205 * S / 100, 22 * S / 10),
                                run("a.summary", 25 * S / 10, 26 * S / 10)));

        // when
        var coverage = new CommitCoverage(graph(), commits, runs);

        // then
        assertThat(coverage.staleness("a.daily")).containsExactly(11 * S / 10, UNCOVERED);
        assertThat(coverage.staleness("a.summary")).containsExactly(16 * S / 10, UNCOVERED);
        assertThat(coverage.reads("a.summary", "learning.events")).isTrue();
        assertThat(coverage.reads("a.summary", "learning.other")).isFalse();
    }

    @Test
    void shouldGiveTheCronStalenessOfSequentialRefreshesAtEachTickOverAllPhases() {
        // given one commit just after 0, a cron every 60 s, daily taking 1 s and summary 2 s
        var commits = Map.of("learning.events", new long[] {1});

        // when
        var staleness =
                CronComparison.staleness(
                        graph(),
                        commits,
                        Map.of("a.daily", 1 * S, "a.summary", 2 * S),
                        Duration.ofSeconds(60));

        // then each of the 20 phases (ticks at 3 s * k + 60 s * n) covers it at its first tick
        // after the commit; summary runs right after daily within the same tick
        var daily = new ArrayList<Long>();
        var summary = new ArrayList<Long>();
        for (int k = 0; k < CronComparison.PHASES; k++) {
            long tick = k == 0 ? 60 * S : 3 * S * k;
            daily.add(tick + 1 * S - 1);
            summary.add(tick + 1 * S + 1 + 2 * S - 1);
        }
        assertThat(sorted(staleness.get("a.daily"))).isEqualTo(sortedList(daily));
        assertThat(sorted(staleness.get("a.summary"))).isEqualTo(sortedList(summary));
    }

    @Test
    void shouldPrintDurationsForPeople() {
        assertThat(SummaryTable.micros(-1)).isEqualTo("-");
        assertThat(SummaryTable.micros(812_000)).isEqualTo("812 ms");
        assertThat(SummaryTable.micros(1_400_000)).isEqualTo("1.4 s");
        assertThat(SummaryTable.human(Duration.ofMinutes(30))).isEqualTo("30 min");
        assertThat(SummaryTable.human(Duration.ofSeconds(150))).isEqualTo("2.5 min");
        assertThat(DemoSummary.percentile(new long[] {1, 2, 3, 4}, 50)).isEqualTo(2);
        assertThat(DemoSummary.percentile(new long[] {1, 2, 3, 4}, 99)).isEqualTo(4);
        assertThat(DemoSummary.percentile(new long[0], 50)).isEqualTo(-1);
    }

    private static RefreshRun run(String job, long started, long finished) {
        return new RefreshRun(job, started, finished);
    }

    private static List<Long> sorted(long[] values) {
        return Arrays.stream(values).sorted().boxed().toList();
    }

    private static List<Long> sortedList(List<Long> values) {
        return values.stream().sorted().toList();
    }
}
