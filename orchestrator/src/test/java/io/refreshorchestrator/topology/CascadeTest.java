package io.refreshorchestrator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.discovery.JobAction;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.JobKind;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CascadeTest {

    private static final RelationName T = new RelationName("public", "t");
    private static final String A = "analytics.a";
    private static final String B = "analytics.b";
    private static final String C = "analytics.c";
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private static JobSpec job(String name, Set<RelationName> sources, String... upstream) {
        return new JobSpec(
                name,
                new JobAction.RefreshView(RelationName.parse(name), Optional.empty()),
                sources,
                Set.of(upstream),
                Jobs.policy(Jobs.DEBOUNCE, Jobs.MAX_DELAY),
                Optional.empty());
    }

    private static RefreshResult result(String job, Status status, Instant firstChangeAt) {
        return result(job, status, firstChangeAt, null);
    }

    /** A result as the executor publishes it, committed in transaction {@code txId}. */
    private static RefreshResult result(
            String job, Status status, Instant firstChangeAt, Long txId) {
        return new RefreshResult(
                1,
                UUID.randomUUID(),
                job,
                JobKind.REFRESH,
                status,
                Reason.DATA_CHANGE,
                null,
                1,
                null,
                null,
                firstChangeAt,
                null,
                firstChangeAt,
                null,
                null,
                null,
                txId);
    }

    private static List<String> jobsOf(List<RefreshCommand> commands) {
        return commands.stream().map(RefreshCommand::job).toList();
    }

    @Test
    void shouldSignalTheNextLevelOnlyAfterTheUpstreamSucceededCarryingItsFirstChangeAt() {
        // given: T → A → B
        var graph = JobGraph.of(List.of(job(A, Set.of(T)), job(B, Set.of(), A)));
        try (var harness = new TopologyHarness(graph)) {
            Instant committedAt = harness.now();
            harness.insert(T);
            harness.advanceInSteps(Jobs.MAX_DELAY, Duration.ofMillis(100));
            assertThat(jobsOf(harness.commands())).containsExactly(A);

            // when
            harness.advance(Duration.ofSeconds(3));
            harness.result(result(A, Status.SUCCEEDED, committedAt, 1001L));
            harness.advanceInSteps(SETTLE, Duration.ofMillis(100));

            // then
            var commands = harness.commands();
            assertThat(commands)
                    .singleElement()
                    .satisfies(
                            command -> {
                                assertThat(command.job()).isEqualTo(B);
                                assertThat(command.reason()).isEqualTo(Reason.CASCADE);
                                assertThat(command.changes().firstChangeAt())
                                        .isEqualTo(committedAt);
                                assertThat(command.changes().tables()).containsExactly(A);
                                assertThat(command.changes().upstreamTxIds())
                                        .as("the refresh of A that B must see")
                                        .isEqualTo(Map.of(A, 1001L));
                            });
        }
    }

    @Test
    void shouldRefreshAViewReadingATableDirectlyAndThroughItsUpstreamOnceAfterTheUpstream() {
        // given: T feeds A and B; B is also built on A
        var graph = JobGraph.of(List.of(job(A, Set.of(T)), job(B, Set.of(T), A)));
        try (var harness = new TopologyHarness(graph)) {
            Instant committedAt = harness.now();

            // when
            harness.insert(T);
            harness.advanceInSteps(Jobs.MAX_DELAY, Duration.ofMillis(100));

            // then: not B before A
            assertThat(jobsOf(harness.commands())).containsExactly(A);
            harness.result(result(A, Status.SUCCEEDED, committedAt));
            harness.advanceInSteps(Jobs.MAX_DELAY, Duration.ofMillis(100));
            assertThat(harness.commands())
                    .singleElement()
                    .satisfies(
                            command -> {
                                assertThat(command.job()).isEqualTo(B);
                                assertThat(command.changes().firstChangeAt())
                                        .isEqualTo(committedAt);
                            });
        }
    }

    @Test
    void shouldRefreshTheBottomOfADiamondOnceAfterBothSidesFinished() {
        // given: A and B on T, C on A and B
        var graph =
                JobGraph.of(List.of(job(A, Set.of(T)), job(B, Set.of(T)), job(C, Set.of(), A, B)));
        try (var harness = new TopologyHarness(graph)) {
            Instant committedAt = harness.now();
            for (int i = 0; i < 5; i++) {
                harness.insert(T);
                harness.advance(Duration.ofMillis(100));
            }
            harness.advanceInSteps(Jobs.MAX_DELAY, Duration.ofMillis(100));
            assertThat(jobsOf(harness.commands())).containsExactlyInAnyOrder(A, B);

            // when: A finishes, and long after, B
            harness.result(result(A, Status.SUCCEEDED, committedAt, 1002L));
            harness.advanceInSteps(Duration.ofSeconds(20), Duration.ofMillis(100));
            assertThat(harness.commands()).as("C waits for B").isEmpty();
            harness.result(result(B, Status.SUCCEEDED, committedAt, 1001L));
            harness.advanceInSteps(Jobs.MAX_DELAY, Duration.ofMillis(100));

            // then
            assertThat(harness.commands())
                    .singleElement()
                    .satisfies(
                            command -> {
                                assertThat(command.job()).isEqualTo(C);
                                assertThat(command.reason()).isEqualTo(Reason.CASCADE);
                                assertThat(command.changes().firstChangeAt())
                                        .isEqualTo(committedAt);
                                assertThat(command.changes().upstreamTxIds())
                                        .as("both refreshes: seeing one says nothing of the other")
                                        .isEqualTo(Map.of(A, 1002L, B, 1001L));
                            });
            assertThat(harness.cascadeWaits().approximateNumEntries()).isZero();
        }
    }

    @Test
    void shouldCarryTheRefreshOfTheLevelJustAboveDownAChain() {
        // given: T → A → B → C
        var graph =
                JobGraph.of(List.of(job(A, Set.of(T)), job(B, Set.of(), A), job(C, Set.of(), B)));
        try (var harness = new TopologyHarness(graph)) {
            Instant committedAt = harness.now();
            harness.insert(T);
            harness.advanceInSteps(Jobs.MAX_DELAY, Duration.ofMillis(100));
            assertThat(jobsOf(harness.commands())).containsExactly(A);
            harness.result(result(A, Status.SUCCEEDED, committedAt, 1001L));
            harness.advanceInSteps(Jobs.MAX_DELAY, Duration.ofMillis(100));
            assertThat(jobsOf(harness.commands())).containsExactly(B);

            // when
            harness.result(result(B, Status.SUCCEEDED, committedAt, 1005L));
            harness.advanceInSteps(Jobs.MAX_DELAY, Duration.ofMillis(100));

            // then: C reads B, so B's refresh is what C's run must see
            assertThat(harness.commands())
                    .singleElement()
                    .satisfies(
                            command -> {
                                assertThat(command.job()).isEqualTo(C);
                                assertThat(command.changes().firstChangeAt())
                                        .isEqualTo(committedAt);
                                assertThat(command.changes().upstreamTxIds())
                                        .isEqualTo(Map.of(B, 1005L));
                            });
        }
    }

    @Test
    void shouldKeepTheLatestRefreshOfAnUpstreamWhenSeveralFoldIntoOneCommand() {
        // given: T → A → B; two runs of A finish within B's debounce
        var graph = JobGraph.of(List.of(job(A, Set.of(T)), job(B, Set.of(), A)));
        try (var harness = new TopologyHarness(graph)) {
            Instant committedAt = harness.now();

            // when
            harness.result(result(A, Status.SUCCEEDED, committedAt, 1001L));
            harness.advance(Duration.ofMillis(100));
            harness.result(result(A, Status.SUCCEEDED, committedAt.plusMillis(50), 1007L));
            harness.advanceInSteps(Jobs.MAX_DELAY, Duration.ofMillis(100));

            // then
            assertThat(harness.commands())
                    .singleElement()
                    .satisfies(
                            command ->
                                    assertThat(command.changes().upstreamTxIds())
                                            .isEqualTo(Map.of(A, 1007L)));
        }
    }

    @Test
    void shouldCarryNoRefreshWhenTheUpstreamResultReportsNone() {
        // given: a result of an executor that predates the field, and a failed run
        var graph =
                JobGraph.of(List.of(job(A, Set.of(T)), job(B, Set.of(T)), job(C, Set.of(), A, B)));
        try (var harness = new TopologyHarness(graph)) {
            Instant committedAt = harness.now();
            harness.insert(T);
            harness.advanceInSteps(Jobs.MAX_DELAY, Duration.ofMillis(100));
            harness.commands();

            // when
            harness.result(result(A, Status.SUCCEEDED, committedAt, null));
            harness.result(result(B, Status.FAILED, committedAt, 1003L));
            harness.advanceInSteps(Jobs.MAX_DELAY, Duration.ofMillis(100));

            // then: C still refreshes, judged by commit time as before
            assertThat(harness.commands())
                    .singleElement()
                    .satisfies(
                            command -> {
                                assertThat(command.job()).isEqualTo(C);
                                assertThat(command.changes().upstreamTxIds()).isEmpty();
                            });
        }
    }

    @Test
    void shouldReleaseTheWaitWhenAnUpstreamFailed() {
        var graph =
                JobGraph.of(List.of(job(A, Set.of(T)), job(B, Set.of(T)), job(C, Set.of(), A, B)));
        try (var harness = new TopologyHarness(graph)) {
            Instant committedAt = harness.now();
            harness.insert(T);
            harness.advanceInSteps(Jobs.MAX_DELAY, Duration.ofMillis(100));
            harness.commands();

            // when
            harness.result(result(A, Status.FAILED, committedAt));
            harness.result(result(B, Status.SUCCEEDED, committedAt));
            harness.advanceInSteps(Jobs.MAX_DELAY, Duration.ofMillis(100));

            // then
            assertThat(jobsOf(harness.commands())).containsExactly(C);
        }
    }

    @Test
    void shouldStopWaitingForAnUpstreamThatNeverReports() {
        var graph =
                JobGraph.of(List.of(job(A, Set.of(T)), job(B, Set.of(T)), job(C, Set.of(), A, B)));
        try (var harness = new TopologyHarness(graph)) {
            Instant committedAt = harness.now();
            harness.insert(T);
            harness.advanceInSteps(Jobs.MAX_DELAY, Duration.ofMillis(100));
            harness.commands();
            harness.result(result(A, Status.SUCCEEDED, committedAt));

            // when: B's result never comes
            harness.advanceInSteps(graph.settleBound(B), Duration.ofSeconds(10));

            // then
            assertThat(jobsOf(harness.commands())).containsExactly(C);
        }
    }

    @Test
    void shouldCascadeAManualRefreshOfAnUpstreamAtOnce() {
        var graph = JobGraph.of(List.of(job(A, Set.of(T)), job(B, Set.of(), A)));
        try (var harness = new TopologyHarness(graph)) {
            // when: nothing routed, a manual refresh of A succeeded
            harness.result(result(A, Status.SUCCEEDED, null));
            harness.advanceInSteps(Jobs.MAX_DELAY, Duration.ofMillis(100));

            // then
            assertThat(jobsOf(harness.commands())).containsExactly(B);
        }
    }

    @Test
    void shouldNotCascadeASkippedOrRejectedRun() {
        var graph = JobGraph.of(List.of(job(A, Set.of(T)), job(B, Set.of(), A)));
        try (var harness = new TopologyHarness(graph)) {
            harness.result(result(A, Status.SKIPPED, harness.now()));
            harness.result(result(A, Status.REJECTED, harness.now()));
            harness.pipe(TopologyHarness.TOPICS.refreshResults().name(), "{not a result");
            harness.advanceInSteps(Jobs.MAX_DELAY, Duration.ofMillis(100));

            assertThat(harness.commands()).isEmpty();
        }
    }

    @Test
    void shouldCommandAnIdleLeadingEdgeViewOnAViewAsSoonAsItsUpstreamSucceeded() {
        // given: T → A → B, both with the leading edge, idle
        var leading = Jobs.policy(Jobs.DEBOUNCE, Jobs.MAX_DELAY).withPacing(1.0, true);
        var graph =
                JobGraph.of(
                        List.of(
                                new JobSpec(
                                        A,
                                        new JobAction.RefreshView(
                                                RelationName.parse(A), Optional.empty()),
                                        Set.of(T),
                                        Set.of(),
                                        leading,
                                        Optional.empty()),
                                new JobSpec(
                                        B,
                                        new JobAction.RefreshView(
                                                RelationName.parse(B), Optional.empty()),
                                        Set.of(),
                                        Set.of(A),
                                        leading,
                                        Optional.empty())));
        try (var harness = new TopologyHarness(graph)) {
            harness.advance(Duration.ofSeconds(5));
            Instant committedAt = harness.now();
            harness.insert(T);
            assertThat(jobsOf(harness.commands())).containsExactly(A);

            // when A's refresh succeeds 100 ms later
            harness.advance(Duration.ofMillis(100));
            harness.result(result(A, Status.SUCCEEDED, committedAt, 1001L));

            // then B is commanded at once, not a debounce later
            assertThat(jobsOf(harness.commands())).containsExactly(B);

            // and so again for a change 2 s later (sporadic writes)
            harness.advance(Duration.ofMillis(1_900));
            Instant next = harness.now();
            harness.insert(T);
            assertThat(jobsOf(harness.commands())).containsExactly(A);
            harness.advance(Duration.ofMillis(100));
            harness.result(result(A, Status.SUCCEEDED, next, 1002L));
            assertThat(jobsOf(harness.commands())).containsExactly(B);
        }
    }
}
