package io.refreshorchestrator.discovery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The immutable set of jobs and the index from each source table to the jobs that read it. */
public final class JobGraph {

    private final Map<String, JobSpec> jobsByName;
    private final Map<RelationName, List<String>> jobsBySource;

    private JobGraph(Map<String, JobSpec> jobsByName) {
        this.jobsByName = Collections.unmodifiableMap(jobsByName);
        Map<RelationName, List<String>> bySource = new TreeMap<>();
        for (JobSpec job : jobsByName.values()) {
            for (RelationName source : job.sources()) {
                bySource.computeIfAbsent(source, s -> new ArrayList<>()).add(job.name());
            }
        }
        bySource.replaceAll((table, names) -> List.copyOf(names));
        this.jobsBySource = Collections.unmodifiableMap(bySource);
    }

    /** A graph of these jobs; job names must be unique. */
    public static JobGraph of(Collection<JobSpec> jobs) {
        Map<String, JobSpec> byName = new LinkedHashMap<>();
        for (JobSpec job : jobs) {
            if (byName.putIfAbsent(job.name(), job) != null) {
                throw new IllegalArgumentException("duplicate job name: " + job.name());
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

    /** The names of the jobs built on {@code table}, empty when none is. */
    public List<String> jobsReading(RelationName table) {
        return jobsBySource.getOrDefault(table, List.of());
    }

    /** Every table some job reads: what change data capture must cover. */
    public Set<RelationName> sourceTables() {
        return Collections.unmodifiableSet(new TreeSet<>(jobsBySource.keySet()));
    }
}
