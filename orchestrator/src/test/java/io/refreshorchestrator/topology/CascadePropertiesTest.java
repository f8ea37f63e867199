package io.refreshorchestrator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.discovery.JobAction;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.JobKind;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * For any graph of views over one table and any order in which the executor finishes their runs,
 * one change to the table refreshes every view built on it exactly once, each after all of its
 * upstream views that the change made due, carrying the refresh transaction of each of them.
 */
class CascadePropertiesTest {

    private static final RelationName T = new RelationName("public", "t");
    private static final Duration STEP = Duration.ofMillis(100);

    @Property(tries = 60)
    void oneChangeRefreshesEveryAffectedViewOnceAfterItsUpstreamViews(
            @ForAll @IntRange(min = 2, max = 6) int size, @ForAll long seed) {
        // given: job i may read T and may be built on any of jobs 0..i-1; job 0 reads T
        var random = new Random(seed);
        var jobs = new ArrayList<JobSpec>();
        for (int i = 0; i < size; i++) {
            var upstream = new TreeSet<String>();
            for (int j = 0; j < i; j++) {
                if (random.nextInt(3) == 0) {
                    upstream.add(name(j));
                }
            }
            boolean readsTable = i == 0 || random.nextBoolean();
            jobs.add(job(name(i), readsTable ? Set.of(T) : Set.of(), upstream));
        }
        var graph = JobGraph.of(jobs);
        var affected = affected(graph);

        try (var harness = new TopologyHarness(graph)) {
            Instant committedAt = harness.now();
            harness.insert(T);
            Map<String, Integer> commanded = new HashMap<>();
            Map<String, Instant> finishedAt = new HashMap<>();
            List<String> running = new ArrayList<>();

            // when: runs finish in a random order, one at a time, while time passes
            for (int step = 0; step < 600; step++) {
                harness.advance(STEP);
                for (RefreshCommand command : harness.commands()) {
                    String job = command.job();
                    commanded.merge(job, 1, Integer::sum);
                    // then: never before an upstream the change made due has finished, and
                    // carrying each such upstream's refresh, which the run must see
                    Map<String, Long> upstreamRefreshes = new HashMap<>();
                    for (String up : graph.job(job).orElseThrow().upstream()) {
                        if (affected.contains(up)) {
                            assertThat(finishedAt)
                                    .as("%s commanded after its upstream %s finished", job, up)
                                    .containsKey(up);
                            upstreamRefreshes.put(up, txIdOf(up));
                        }
                    }
                    assertThat(command.changes().upstreamTxIds())
                            .as("the upstream refreshes %s must see", job)
                            .isEqualTo(upstreamRefreshes);
                    assertThat(command.changes().firstChangeAt()).isEqualTo(committedAt);
                    running.add(job);
                }
                if (!running.isEmpty() && random.nextInt(4) == 0) {
                    Collections.shuffle(running, random);
                    String done = running.remove(0);
                    finishedAt.put(done, harness.now());
                    harness.result(succeeded(done, committedAt, harness.now(), txIdOf(done)));
                }
            }

            // then
            assertThat(running).as("every command answered").isEmpty();
            Map<String, Integer> once = new HashMap<>();
            affected.forEach(job -> once.put(job, 1));
            assertThat(commanded).as("graph %s", describe(graph)).isEqualTo(once);
        }
    }

    /** The jobs reading T, and every job built on one of them. */
    private static Set<String> affected(JobGraph graph) {
        Set<String> affected = new HashSet<>();
        for (JobSpec job : graph.topologicalOrder()) {
            boolean below = job.upstream().stream().anyMatch(affected::contains);
            if (job.sources().contains(T) || below) {
                affected.add(job.name());
            }
        }
        return affected;
    }

    private static String describe(JobGraph graph) {
        var text = new StringBuilder();
        for (JobSpec job : graph.topologicalOrder()) {
            text.append(job.name())
                    .append(job.sources().isEmpty() ? "" : "(T)")
                    .append(" on ")
                    .append(job.upstream())
                    .append("; ");
        }
        return text.toString();
    }

    /** The transaction the run of {@code job} committed in, as its result reports it. */
    private static long txIdOf(String job) {
        return 1000 + Long.parseLong(job.substring("s.v".length()));
    }

    private static String name(int i) {
        return "s.v" + i;
    }

    private static JobSpec job(String name, Set<RelationName> sources, Set<String> upstream) {
        return new JobSpec(
                name,
                new JobAction.RefreshView(RelationName.parse(name), Optional.empty()),
                sources,
                upstream,
                Jobs.policy(Jobs.DEBOUNCE, Jobs.MAX_DELAY),
                Optional.empty());
    }

    private static RefreshResult succeeded(
            String job, Instant firstChangeAt, Instant now, long txId) {
        return new RefreshResult(
                1,
                UUID.randomUUID(),
                job,
                JobKind.REFRESH,
                Status.SUCCEEDED,
                null,
                null,
                1,
                now,
                now,
                now,
                0L,
                firstChangeAt,
                null,
                null,
                null,
                txId);
    }
}
