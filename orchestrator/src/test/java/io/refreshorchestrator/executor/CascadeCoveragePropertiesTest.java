package io.refreshorchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Coalescing never leaves a view built on other views stale: for any interleaving of source
 * commits, upstream runs, downstream runs (cascaded or manual) and the moments their snapshots are
 * taken, every source commit ends up in a run of every view, where a downstream run holds a commit
 * only if its snapshot saw a refresh of each upstream view that held it. Skips are decided by the
 * executor's {@link LastRun#covers}; see {@link CascadeWorld} for the model.
 */
class CascadeCoveragePropertiesTest {

    /** The graphs: a chain of two and of three views, and a diamond. */
    enum Shape {
        CHAIN(Map.of("a", List.of(), "b", List.of("a"))),
        LONG_CHAIN(Map.of("a", List.of(), "b", List.of("a"), "c", List.of("b"))),
        DIAMOND(Map.of("a", List.of(), "b", List.of(), "c", List.of("a", "b")));

        final Map<String, List<String>> graph;

        Shape(Map<String, List<String>> graph) {
            // in dependency order, which the names sort into
            this.graph = new LinkedHashMap<>();
            graph.keySet().stream().sorted().forEach(job -> this.graph.put(job, graph.get(job)));
        }
    }

    /** What happens next: a step of the database, the topology or the executor. */
    enum Action {
        BEGIN_SOURCE,
        COMMIT_SOURCE,
        SHOW_SOURCE,
        FIRE,
        MANUAL,
        START,
        COMMIT
    }

    /** One step; {@code choice} picks the job or transaction it applies to. */
    record Step(Action action, int choice) {}

    @Property(tries = 1000)
    void everySourceCommitReachesEveryViewThroughRefreshesThatSawIt(
            @ForAll Shape shape, @ForAll("steps") List<Step> steps) {
        // given
        var world = new CascadeWorld(shape.graph);
        List<String> jobs = world.jobNames();

        // when: the steps happen in this order, then everything is worked off
        for (Step step : steps) {
            String job = jobs.get(Math.floorMod(step.choice(), jobs.size()));
            switch (step.action()) {
                case BEGIN_SOURCE -> world.beginSource();
                case COMMIT_SOURCE -> world.commitSource(step.choice());
                case SHOW_SOURCE -> world.showSource();
                case FIRE -> world.fire(job);
                case MANUAL -> world.manual(job);
                case START -> world.start(job);
                case COMMIT -> world.commit(job);
            }
        }
        world.drain();

        // then
        assertEveryCommitReachedEveryView(world);
    }

    @Example
    void aDownstreamRunBetweenTheSourceCommitAndTheUpstreamRefreshCoversNothing() {
        // given: the trace of issue 8
        var world = new CascadeWorld(Shape.CHAIN.graph);
        committed(world);
        world.fire("a");
        world.start("a");

        // when: b runs by hand while a's refresh is in progress, then a commits
        world.manual("b");
        world.start("b");
        world.commit("b");
        world.commit("a");
        world.drain();

        // then
        assertEveryCommitReachedEveryView(world);
    }

    @Example
    void eachLevelOfAChainMustSeeTheRefreshOfTheLevelAbove() {
        // given: a → b → c, and c runs by hand while b's refresh is in progress
        var world = new CascadeWorld(Shape.LONG_CHAIN.graph);
        committed(world);
        world.fire("a");
        world.start("a");
        world.commit("a");
        world.fire("b");
        world.start("b");

        // when
        world.manual("c");
        world.start("c");
        world.commit("c");
        world.drain();

        // then
        assertEveryCommitReachedEveryView(world);
    }

    @Example
    void aDiamondsBottomMustSeeBothRefreshesNotOnlyTheLaterCommitted() {
        // given: a's refresh begins first (the lower transaction id) and commits last
        var world = new CascadeWorld(Shape.DIAMOND.graph);
        committed(world);
        world.fire("a");
        world.fire("b");
        world.start("a");
        world.start("b");
        world.commit("b");

        // when: c runs by hand in between; one cascaded command then carries both refreshes
        world.manual("c");
        world.start("c");
        world.commit("c");
        world.commit("a");
        world.drain();

        // then
        assertEveryCommitReachedEveryView(world);
    }

    /** One source change, committed and visible. */
    private static void committed(CascadeWorld world) {
        world.beginSource();
        world.commitSource(0);
        world.showSource();
    }

    private static void assertEveryCommitReachedEveryView(CascadeWorld world) {
        for (String job : world.jobNames()) {
            for (CascadeWorld.Commit commit : world.commits()) {
                assertThat(world.runs(job))
                        .as(
                                "a run of %s holding source commit %s, after:%n%s",
                                job, commit, String.join("\n", world.log()))
                        .anySatisfy(run -> assertThat(run.holds()).contains(commit.xid()));
            }
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(
                        Arbitraries.of(Action.class), Arbitraries.integers().between(0, 5))
                .as(Step::new)
                .list()
                .ofMaxSize(60);
    }
}
