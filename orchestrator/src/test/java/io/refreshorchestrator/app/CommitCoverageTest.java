package io.refreshorchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.app.FaultWorkload.Commit;
import io.refreshorchestrator.events.JobKind;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The fault suite's coverage rule, on hand-made results. */
class CommitCoverageTest {

    private static final Instant T0 = Instant.parse("2026-11-29T06:00:00Z");

    // top reads plays; downstream reads top and tracks
    private final CommitCoverage coverage =
            new CommitCoverage(
                    Map.of("a.top", Set.of("public.plays"), "a.down", Set.of("public.tracks")),
                    Map.of("a.down", Set.of("a.top")));

    private final Commit playsAt10 = new Commit(1, 100, at(10), Set.of("public.plays"));
    private final Commit tracksAt10 = new Commit(2, 101, at(10), Set.of("public.tracks"));

    @Test
    void shouldCoverADirectSourceByARunStartedAfterTheCommit() {
        // given
        var before = succeeded("a.top", 9, 12);
        var after = succeeded("a.top", 11, 13);

        // when
        var cover = coverage.cover("a.top", playsAt10, List.of(before, after));

        // then
        assertThat(cover).contains(after);
    }

    @Test
    void shouldNotCoverByAFailedRun() {
        var failed = result("a.top", Status.FAILED, 11, 12);

        assertThat(coverage.cover("a.top", playsAt10, List.of(failed))).isEmpty();
    }

    @Test
    void shouldCoverACascadeOnlyByARunStartedAfterTheUpstreamRunFinished() {
        // given: the upstream run 11..13 covers the commit
        var top = succeeded("a.top", 11, 13);
        var tooEarly = succeeded("a.down", 12, 14);
        var afterTop = succeeded("a.down", 14, 15);

        // then
        assertThat(coverage.affects("a.down", playsAt10)).isTrue();
        assertThat(coverage.cover("a.down", playsAt10, List.of(top, tooEarly))).isEmpty();
        assertThat(coverage.cover("a.down", playsAt10, List.of(top, tooEarly, afterTop)))
                .contains(afterTop);
    }

    @Test
    void shouldNotCoverACascadeWithoutAnUpstreamRun() {
        var down = succeeded("a.down", 11, 12);

        assertThat(coverage.cover("a.down", playsAt10, List.of(down))).isEmpty();
        assertThat(coverage.uncovered(List.of(playsAt10), List.of(down))).hasSize(2);
    }

    @Test
    void shouldCoverADirectChangeOfTheDownstreamViewWithoutTheUpstream() {
        var down = succeeded("a.down", 11, 12);

        assertThat(coverage.affects("a.top", tracksAt10)).isFalse();
        assertThat(coverage.cover("a.down", tracksAt10, List.of(down))).contains(down);
        assertThat(coverage.uncovered(List.of(tracksAt10), List.of(down))).isEmpty();
    }

    private static RefreshResult succeeded(String job, int startSecond, int finishSecond) {
        return result(job, Status.SUCCEEDED, startSecond, finishSecond);
    }

    private static RefreshResult result(
            String job, Status status, int startSecond, int finishSecond) {
        return new RefreshResult(
                1,
                UUID.randomUUID(),
                job,
                JobKind.REFRESH,
                status,
                Reason.DATA_CHANGE,
                null,
                1,
                at(startSecond),
                at(startSecond),
                at(finishSecond),
                1000L,
                null,
                null,
                null,
                null,
                null);
    }

    private static Instant at(int second) {
        return T0.plusSeconds(second);
    }
}
