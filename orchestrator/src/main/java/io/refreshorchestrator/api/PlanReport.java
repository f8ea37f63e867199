package io.refreshorchestrator.api;

import io.refreshorchestrator.config.Durations;
import io.refreshorchestrator.discovery.DiscoveredGraph;
import io.refreshorchestrator.discovery.JobAction;
import io.refreshorchestrator.discovery.JobNotes;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.executor.PlannedModes;
import io.refreshorchestrator.schedule.Schedules;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Builds the {@code plan} entries: the discovered graph in order, with each view's mode. */
final class PlanReport {

    private PlanReport() {}

    static List<PlanEntry> entries(DiscoveredGraph discovered, Connection connection)
            throws SQLException {
        return entries(discovered, connection, Instant.now());
    }

    /** The entries, with next fire times after {@code now}. */
    static List<PlanEntry> entries(DiscoveredGraph discovered, Connection connection, Instant now)
            throws SQLException {
        var graph = discovered.graph();
        var entries = new ArrayList<PlanEntry>();
        int order = 1;
        for (JobSpec job : graph.topologicalOrder()) {
            JobNotes notes = discovered.notes().get(job.name());
            String mode = null;
            String why = null;
            if (job.action() instanceof JobAction.RefreshView refresh) {
                var choice =
                        PlannedModes.choose(
                                connection, refresh.view(), refresh.mode().orElse(null));
                mode = choice.map(c -> c.mode().name()).orElse(null);
                why = choice.map(PlannedModes.ModeChoice::why).orElse("view not found");
            }
            var routed =
                    job.sources().stream()
                            .filter(table -> graph.jobsReading(table).contains(job.name()))
                            .map(RelationName::toString)
                            .toList();
            var policy = job.policy();
            entries.add(
                    new PlanEntry(
                            order++,
                            job.name(),
                            job.kind().name(),
                            names(job.sources()),
                            names(notes.configuredSources()),
                            routed,
                            names(notes.foreignSources()),
                            List.copyOf(notes.functions()),
                            job.upstream().stream().sorted().toList(),
                            graph.downstreamOf(job.name()),
                            names(notes.unmanagedUpstream()),
                            new PlanEntry.Policy(
                                    Durations.format(policy.debounce()),
                                    Durations.format(policy.maxDelay()),
                                    Durations.format(policy.timeout()),
                                    Durations.format(policy.lockTimeout()),
                                    policy.targetLag().map(Durations::format).orElse(null),
                                    policy.refreshBudget() < 1.0
                                            ? Math.round(policy.refreshBudget() * 100) + "%"
                                            : null,
                                    policy.leadingEdge() ? Boolean.TRUE : null),
                            job.schedule()
                                    .map(s -> s.expression() + " (" + s.zone() + ")")
                                    .orElse(null),
                            job.schedule().map(s -> Schedules.nextFire(s, now)).orElse(null),
                            mode,
                            why));
        }
        return entries;
    }

    private static List<String> names(Collection<RelationName> relations) {
        return relations.stream().map(RelationName::toString).sorted().toList();
    }
}
