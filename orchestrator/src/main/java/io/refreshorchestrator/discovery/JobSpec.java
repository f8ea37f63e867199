package io.refreshorchestrator.discovery;

import io.refreshorchestrator.events.JobKind;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One job: what it does ({@code action}), what makes it due (changes to {@code sources}, a
 * SUCCEEDED run of an {@code upstream} job, its {@code schedule}) and its {@code policy}.
 *
 * @param name the job name, {@code schema.view} for a view; the key of its commands and results
 * @param sources tables whose changes make the job due
 * @param upstream names of the jobs (materialized views) this one is built on
 */
public record JobSpec(
        String name,
        JobAction action,
        Set<RelationName> sources,
        Set<String> upstream,
        JobPolicy policy,
        Optional<JobSchedule> schedule) {

    public JobSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(schedule, "schedule");
        sources = Set.copyOf(new TreeSet<>(sources));
        upstream = upstream == null ? Set.of() : Set.copyOf(new TreeSet<>(upstream));
    }

    /** A refresh job for {@code view}, named after it, with no upstream jobs and no schedule. */
    public static JobSpec refresh(RelationName view, Set<RelationName> sources, JobPolicy policy) {
        return new JobSpec(
                view.toString(),
                new JobAction.RefreshView(view, Optional.empty()),
                sources,
                Set.of(),
                policy,
                Optional.empty());
    }

    public JobKind kind() {
        return action.kind();
    }

    /**
     * The materialized view this job refreshes.
     *
     * @throws IllegalStateException for a SQL or HTTP job
     */
    public RelationName view() {
        if (action instanceof JobAction.RefreshView refresh) {
            return refresh.view();
        }
        throw new IllegalStateException("job " + name + " is a " + kind() + " job, not a refresh");
    }
}
