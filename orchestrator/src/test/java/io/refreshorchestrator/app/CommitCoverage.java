package io.refreshorchestrator.app;

import io.refreshorchestrator.app.FaultWorkload.Commit;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which SUCCEEDED refresh first covers a commit, per view, from the {@code refresh-results} the
 * orchestrator published. A view that reads a table the commit wrote is covered by a run that
 * started after the commit was acknowledged (its snapshot, taken later, sees the commit). A view
 * built on another view that the commit affects is covered only by a run that started after a
 * covering run of that upstream view finished: its snapshot saw the upstream refresh that brought
 * the change (see the README, "Cascades"). Both rules compare the executor's {@code startedAt}
 * (read before the run's snapshot) with times read after the commit in question: conservative.
 *
 * @param sources per view, the tables it reads directly
 * @param upstreams per view, the views it reads
 */
record CommitCoverage(Map<String, Set<String>> sources, Map<String, Set<String>> upstreams) {

    /** Whether {@code commit} changes what {@code view} should hold. */
    boolean affects(String view, Commit commit) {
        if (sources.getOrDefault(view, Set.of()).stream().anyMatch(commit.tables()::contains)) {
            return true;
        }
        return upstreams.getOrDefault(view, Set.of()).stream().anyMatch(u -> affects(u, commit));
    }

    /**
     * The earliest-finishing SUCCEEDED run of {@code view} that covers {@code commit}; empty when
     * none does (yet). Only for a view the commit {@link #affects}.
     */
    Optional<RefreshResult> cover(String view, Commit commit, List<RefreshResult> results) {
        Instant notBefore = null;
        if (sources.getOrDefault(view, Set.of()).stream().anyMatch(commit.tables()::contains)) {
            notBefore = commit.committedAt();
        }
        for (String upstream : upstreams.getOrDefault(view, Set.of())) {
            if (!affects(upstream, commit)) {
                continue;
            }
            var upstreamCover = cover(upstream, commit, results);
            if (upstreamCover.isEmpty()) {
                return Optional.empty();
            }
            // strictly after the upstream run finished
            Instant after = upstreamCover.get().finishedAt().plusNanos(1);
            if (notBefore == null || after.isAfter(notBefore)) {
                notBefore = after;
            }
        }
        if (notBefore == null) {
            throw new IllegalArgumentException(commit + " does not affect " + view);
        }
        Instant bound = notBefore;
        return results.stream()
                .filter(r -> r.job().equals(view) && r.status() == Status.SUCCEEDED)
                .filter(r -> r.startedAt() != null && r.finishedAt() != null)
                .filter(r -> !r.startedAt().isBefore(bound))
                .min(Comparator.comparing(RefreshResult::finishedAt));
    }

    /** Every (view, commit) pair not covered, as readable lines. */
    List<String> uncovered(List<Commit> commits, List<RefreshResult> results) {
        var missing = new ArrayList<String>();
        for (var commit : commits) {
            for (var view : sources.keySet()) {
                if (affects(view, commit) && cover(view, commit, results).isEmpty()) {
                    missing.add(view + " not refreshed after " + commit);
                }
            }
        }
        return missing;
    }
}
