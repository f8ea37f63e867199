package io.refreshorchestrator.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobGraphTest {

    private static final RelationName T = RelationName.parse("public.t");
    private static final JobPolicy POLICY =
            new JobPolicy(
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(10),
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(5));

    private static JobSpec job(String name, Set<RelationName> sources, String... upstream) {
        return new JobSpec(
                name,
                new JobAction.RefreshView(RelationName.parse(name), Optional.empty()),
                sources,
                Set.of(upstream),
                POLICY,
                Optional.empty());
    }

    @Test
    void shouldRouteATableOnlyToJobsWithoutAnUpstreamReadingItToo() {
        // given: T feeds a and b; b is also built on a
        var graph = JobGraph.of(List.of(job("s.a", Set.of(T)), job("s.b", Set.of(T), "s.a")));

        // then: the cascade from a refreshes b, once and after a
        assertThat(graph.jobsReading(T)).containsExactly("s.a");
        assertThat(graph.sourceTables()).containsExactly(T);
    }

    @Test
    void shouldMakeADiamondsBottomAwaitBothSides() {
        var graph =
                JobGraph.of(
                        List.of(
                                job("s.a", Set.of(T)),
                                job("s.b", Set.of(T)),
                                job("s.c", Set.of(), "s.a", "s.b")));

        assertThat(graph.jobsReading(T)).containsExactly("s.a", "s.b");
        assertThat(graph.awaitedBelow("s.a")).isEqualTo(Map.of("s.c", Set.of("s.a")));
        assertThat(graph.awaitedBelow("s.b")).isEqualTo(Map.of("s.c", Set.of("s.b")));
    }

    @Test
    void shouldMakeEachLevelOfAChainAwaitTheLevelAbove() {
        var graph =
                JobGraph.of(
                        List.of(
                                job("s.c", Set.of(), "s.b"),
                                job("s.b", Set.of(), "s.a"),
                                job("s.a", Set.of(T))));

        assertThat(graph.topologicalOrder())
                .extracting(JobSpec::name)
                .containsExactly("s.a", "s.b", "s.c");
        assertThat(graph.awaitedBelow("s.a"))
                .isEqualTo(Map.of("s.b", Set.of("s.a"), "s.c", Set.of("s.b")));
        assertThat(graph.settleBound("s.a")).isEqualTo(Duration.ofSeconds(70));
        assertThat(graph.settleBound("s.c")).isEqualTo(Duration.ofSeconds(210));
    }

    @Test
    void shouldRejectAnUnknownUpstream() {
        assertThatThrownBy(() -> JobGraph.of(List.of(job("s.b", Set.of(), "s.a"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown upstream");
    }
}
