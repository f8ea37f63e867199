package io.refreshorchestrator.discovery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The immutable set of jobs, the index from each source table to the jobs it makes due, and the
 * upstream/downstream edges between jobs (a materialized view built on another one).
 *
 * <p>A change to table T makes due only the jobs that read T and have no upstream job that
 * (transitively) reads T too: such a job is refreshed by the cascade once its upstream succeeded,
 * so that it is refreshed once, and after the upstream, not before.
 */
public final class JobGraph {

    private final Map<String, JobSpec> jobsByName;
    private final Map<RelationName, List<String>> jobsBySource;
    private final Map<String, List<String>> downstream;
    private final List<JobSpec> topologicalOrder;
    private final Map<String, Set<String>> descendants = new HashMap<>();
    private final Map<String, Duration> settleBounds = new HashMap<>();

    private JobGraph(Map<String, JobSpec> jobsByName) {
        this.jobsByName = Collections.unmodifiableMap(jobsByName);
        this.downstream = downstreamEdges(jobsByName);
        this.topologicalOrder = List.copyOf(sort(jobsByName, downstream));
        for (JobSpec job : topologicalOrder) {
            Duration slowestUpstream = Duration.ZERO;
            for (String up : job.upstream()) {
                slowestUpstream = max(slowestUpstream, settleBounds.get(up));
            }
            settleBounds.put(
                    job.name(),
                    slowestUpstream.plus(job.policy().maxDelay()).plus(job.policy().timeout()));
        }
        for (int i = topologicalOrder.size() - 1; i >= 0; i--) {
            String name = topologicalOrder.get(i).name();
            Set<String> below = new TreeSet<>();
            for (String child : downstream.getOrDefault(name, List.of())) {
                below.add(child);
                below.addAll(descendants.get(child));
            }
            descendants.put(name, Collections.unmodifiableSet(below));
        }
        Map<RelationName, List<String>> bySource = new TreeMap<>();
        for (JobSpec job : topologicalOrder) {
            for (RelationName source : job.sources()) {
                if (!anyAncestorReads(job, source)) {
                    bySource.computeIfAbsent(source, s -> new ArrayList<>()).add(job.name());
                }
            }
        }
        bySource.replaceAll((table, names) -> List.copyOf(names));
        this.jobsBySource = Collections.unmodifiableMap(bySource);
    }

    /**
     * A graph of these jobs; job names must be unique and every upstream name must be a job.
     *
     * @throws IllegalArgumentException on a duplicate name, an unknown upstream or a cycle
     */
    public static JobGraph of(Collection<JobSpec> jobs) {
        Map<String, JobSpec> byName = new LinkedHashMap<>();
        for (JobSpec job : jobs) {
            if (byName.putIfAbsent(job.name(), job) != null) {
                throw new IllegalArgumentException("duplicate job name: " + job.name());
            }
        }
        for (JobSpec job : jobs) {
            for (String up : job.upstream()) {
                if (!byName.containsKey(up)) {
                    throw new IllegalArgumentException(
                            "job " + job.name() + " names an unknown upstream job: " + up);
                }
            }
        }
        return new JobGraph(byName);
    }

    public Optional<JobSpec> job(String name) {
        return Optional.ofNullable(jobsByName.get(name));
    }

    public Collection<JobSpec> jobs() {
        return jobsByName.values();
    }

    /** Every job, each after all of its upstream jobs; ties in name order. */
    public List<JobSpec> topologicalOrder() {
        return topologicalOrder;
    }

    /**
     * The names of the jobs a change to {@code table} makes due directly, empty when none: the jobs
     * reading it, except those with an upstream job that reads it too (the cascade covers them).
     */
    public List<String> jobsReading(RelationName table) {
        return jobsBySource.getOrDefault(table, List.of());
    }

    /** The names of the jobs built directly on {@code job}, in name order. */
    public List<String> downstreamOf(String job) {
        return downstream.getOrDefault(job, List.of());
    }

    /** Every job built on {@code job}, directly or through others. */
    public Set<String> descendantsOf(String job) {
        return descendants.getOrDefault(job, Set.of());
    }

    /**
     * What a change routed to {@code job} makes each job below it wait for: for every descendant D,
     * the upstream jobs of D that the same change makes due (directly or by cascade).
     */
    public Map<String, Set<String>> awaitedBelow(String job) {
        Set<String> affected = new TreeSet<>(descendantsOf(job));
        affected.add(job);
        Map<String, Set<String>> awaits = new TreeMap<>();
        for (String below : descendantsOf(job)) {
            Set<String> awaited = new TreeSet<>(jobsByName.get(below).upstream());
            awaited.retainAll(affected);
            awaits.put(below, Collections.unmodifiableSet(awaited));
        }
        return awaits;
    }

    /**
     * How long after a change {@code job} reports a result at the latest under normal operation:
     * its max delay and timeout, plus the same bound of its slowest upstream job. A downstream job
     * stops waiting for it after this long.
     */
    public Duration settleBound(String job) {
        return settleBounds.getOrDefault(job, Duration.ZERO);
    }

    /** Every table some job reads: what change data capture must cover. */
    public Set<RelationName> sourceTables() {
        Set<RelationName> all = new TreeSet<>();
        jobsByName.values().forEach(job -> all.addAll(job.sources()));
        return Collections.unmodifiableSet(all);
    }

    private boolean anyAncestorReads(JobSpec job, RelationName table) {
        var queue = new ArrayDeque<>(job.upstream());
        var seen = new TreeSet<String>();
        while (!queue.isEmpty()) {
            var up = jobsByName.get(queue.poll());
            if (!seen.add(up.name())) {
                continue;
            }
            if (up.sources().contains(table)) {
                return true;
            }
            queue.addAll(up.upstream());
        }
        return false;
    }

    private static Map<String, List<String>> downstreamEdges(Map<String, JobSpec> jobs) {
        Map<String, Set<String>> edges = new HashMap<>();
        for (JobSpec job : jobs.values()) {
            for (String up : job.upstream()) {
                edges.computeIfAbsent(up, k -> new TreeSet<>()).add(job.name());
            }
        }
        Map<String, List<String>> frozen = new HashMap<>();
        edges.forEach((up, below) -> frozen.put(up, List.copyOf(below)));
        return Collections.unmodifiableMap(frozen);
    }

    /** Kahn's algorithm, ready jobs taken in name order so the result is deterministic. */
    private static List<JobSpec> sort(
            Map<String, JobSpec> jobs, Map<String, List<String>> downstream) {
        Map<String, Integer> waiting = new HashMap<>();
        jobs.values().forEach(job -> waiting.put(job.name(), job.upstream().size()));
        var ready = new TreeSet<String>();
        waiting.forEach(
                (name, count) -> {
                    if (count == 0) {
                        ready.add(name);
                    }
                });
        List<JobSpec> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String next = ready.pollFirst();
            order.add(jobs.get(next));
            for (String below : downstream.getOrDefault(next, List.of())) {
                if (waiting.merge(below, -1, Integer::sum) == 0) {
                    ready.add(below);
                }
            }
        }
        if (order.size() != jobs.size()) {
            var cyclic = new TreeSet<>(jobs.keySet());
            order.forEach(job -> cyclic.remove(job.name()));
            throw new IllegalArgumentException("jobs depend on each other in a cycle: " + cyclic);
        }
        return order;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
