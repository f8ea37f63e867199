package io.refreshorchestrator.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refreshorchestrator.discovery.CatalogSnapshot.Kind;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobGraphBuilderTest {

    private static RelationName name(String text) {
        return RelationName.parse(text);
    }

    @Test
    void shouldFollowPlainViewsAndStopAtMaterializedViews() {
        // given: t1 → plain view v → matview a; a and t2 → matview b
        var catalog =
                new Catalogs()
                        .table("public.t1")
                        .table("public.t2")
                        .view("public.v", "public.t1")
                        .matview("analytics.a", "public.v")
                        .matview("analytics.b", "analytics.a", "public.t2")
                        .snapshot();

        // when
        var graph = JobGraphBuilder.build(catalog, Catalogs.discover("analytics")).graph();

        // then
        var a = graph.job("analytics.a").orElseThrow();
        var b = graph.job("analytics.b").orElseThrow();
        assertThat(a.sources()).containsExactly(name("public.t1"));
        assertThat(a.upstream()).isEmpty();
        assertThat(b.sources()).containsExactly(name("public.t2"));
        assertThat(b.upstream()).containsExactly("analytics.a");
        assertThat(graph.downstreamOf("analytics.a")).containsExactly("analytics.b");
        assertThat(graph.topologicalOrder())
                .extracting(JobSpec::name)
                .containsExactly("analytics.a", "analytics.b");
    }

    @Test
    void shouldReportPartitionsAsTheirRootAndForeignTablesAsUncapturable() {
        var catalog =
                new Catalogs()
                        .add("public.events", Kind.PARTITIONED_TABLE)
                        .add("public.events_2026", Kind.PARTITIONED_TABLE)
                        .partition("public.events_2026_11", "public.events_2026")
                        .add("remote.rates", Kind.FOREIGN_TABLE)
                        .matview("analytics.m", "public.events_2026_11", "remote.rates")
                        .snapshot();
        // the middle level is itself a partition of the top
        var withTree =
                new CatalogSnapshot(
                        catalog.relations(),
                        catalog.references(),
                        catalog.functions(),
                        java.util.Map.of(1002L, 1001L, 1001L, 1000L));

        var discovered = JobGraphBuilder.build(withTree, Catalogs.discover("analytics"));

        assertThat(discovered.graph().job("analytics.m").orElseThrow().sources())
                .containsExactly(name("public.events"));
        assertThat(discovered.notes().get("analytics.m").foreignSources())
                .containsExactly(name("remote.rates"));
        assertThat(discovered.warnings()).anySatisfy(w -> assertThat(w).contains("schedule"));
    }

    @Test
    void shouldAddConfiguredSourcesAndOverridesToADiscoveredView() {
        var catalog =
                new Catalogs()
                        .table("public.hidden")
                        .matview("analytics.via_function")
                        .calls("analytics.via_function", "hidden_count()")
                        .snapshot();
        var policy =
                new JobPolicy(
                        java.time.Duration.ofMillis(200),
                        java.time.Duration.ofSeconds(2),
                        java.time.Duration.ofMinutes(1),
                        java.time.Duration.ofSeconds(5));
        var declared =
                new DeclaredJob(
                        "jobs[0]",
                        JobSpec.refresh(
                                name("analytics.via_function"),
                                Set.of(name("public.hidden")),
                                policy));
        var declarations =
                new JobDeclarations(
                        new DiscoverySettings(List.of("analytics"), List.of(), List.of()),
                        JobPolicy.DEFAULTS,
                        List.of(declared));

        var discovered = JobGraphBuilder.build(catalog, declarations);

        var job = discovered.graph().job("analytics.via_function").orElseThrow();
        assertThat(job.sources()).containsExactly(name("public.hidden"));
        assertThat(job.policy()).isEqualTo(policy);
        assertThat(discovered.notes().get("analytics.via_function").functions())
                .containsExactly("hidden_count()");
        assertThat(discovered.graph().jobs()).hasSize(1);
    }

    @Test
    void shouldListEveryConfiguredNameTheCatalogDoesNotKnow() {
        var catalog =
                new Catalogs()
                        .table("public.t")
                        .view("public.plain", "public.t")
                        .matview("analytics.ok", "public.t")
                        .snapshot();
        var declarations =
                new JobDeclarations(
                        DiscoverySettings.NONE,
                        JobPolicy.DEFAULTS,
                        List.of(
                                declared("jobs[0]", "analytics.ok", "public.missing"),
                                declared("jobs[1]", "x; DROP TABLE t"),
                                declared("jobs[2]", "public.plain"),
                                declared("jobs[3]", "analytics.OK")));

        assertThatThrownBy(() -> JobGraphBuilder.build(catalog, declarations))
                .isInstanceOf(DiscoveryException.class)
                .satisfies(
                        e ->
                                assertThat(((DiscoveryException) e).problems())
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .startsWith("jobs[0].sources:")
                                                                .contains("public.missing"))
                                        .anySatisfy(p -> assertThat(p).startsWith("jobs[1].view:"))
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .startsWith("jobs[2].view:")
                                                                .contains("is a view"))
                                        .anySatisfy(p -> assertThat(p).startsWith("jobs[3].view:"))
                                        .hasSize(4));
    }

    @Test
    void shouldFailWhenDiscoveryFindsNothing() {
        var catalog = new Catalogs().table("public.t").snapshot();

        assertThatThrownBy(() -> JobGraphBuilder.build(catalog, Catalogs.discover("analytics")))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("discovery.schemas: no materialized view found");
    }

    @Test
    void shouldNotMakeJobsOfExcludedViewsButNoteThemAsUnmanaged() {
        var catalog =
                new Catalogs()
                        .table("public.t")
                        .matview("analytics.tmp_base", "public.t")
                        .matview("analytics.top", "analytics.tmp_base")
                        .snapshot();
        var declarations =
                new JobDeclarations(
                        new DiscoverySettings(
                                List.of("analytics"), List.of(), List.of("analytics.tmp_*")),
                        JobPolicy.DEFAULTS,
                        List.of());

        var discovered = JobGraphBuilder.build(catalog, declarations);

        assertThat(discovered.graph().jobs())
                .extracting(JobSpec::name)
                .containsExactly("analytics.top");
        assertThat(discovered.notes().get("analytics.top").unmanagedUpstream())
                .containsExactly(name("analytics.tmp_base"));
    }

    private static DeclaredJob declared(String path, String view, String... sources) {
        return new DeclaredJob(
                path,
                JobSpec.refresh(
                        name(view),
                        java.util.Arrays.stream(sources)
                                .map(RelationName::parse)
                                .collect(java.util.stream.Collectors.toSet()),
                        JobPolicy.DEFAULTS));
    }
}
