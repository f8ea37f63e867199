package io.refreshorchestrator.discovery;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One job: refresh materialized view {@code view} when one of its {@code sources} changes.
 *
 * @param name the job name, {@code schema.view}; the key of its commands and results
 */
public record JobSpec(String name, RelationName view, Set<RelationName> sources, JobPolicy policy) {

    public JobSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(policy, "policy");
        sources = Set.copyOf(new TreeSet<>(sources));
    }

    /** A refresh job for {@code view}, named after it. */
    public static JobSpec refresh(RelationName view, Set<RelationName> sources, JobPolicy policy) {
        return new JobSpec(view.toString(), view, sources, policy);
    }
}
