package io.refreshorchestrator.api;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.topology.JobStoreView;
import io.refreshorchestrator.topology.TopologyRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The body of {@code GET /jobs} and {@code GET /jobs/{name}}: the job graph, the topology's stores
 * (interactive queries) and the activity the {@link ResultsWatcher} saw.
 */
final class JobsReport {

    private final JobGraph graph;
    private final TopologyRunner topology;
    private final ResultsWatcher watcher;
    private final Duration window;
    private final Clock clock;

    JobsReport(
            JobGraph graph,
            TopologyRunner topology,
            ResultsWatcher watcher,
            Duration window,
            Clock clock) {
        this.graph = graph;
        this.topology = topology;
        this.watcher = watcher;
        this.window = window;
        this.clock = clock;
    }

    List<Map<String, Object>> all() {
        return graph.topologicalOrder().stream().map(this::describe).toList();
    }

    Optional<Map<String, Object>> one(String name) {
        return graph.job(name).map(this::describe);
    }

    /** Current staleness of {@code job}, see {@link JobActivity#staleness}. */
    Duration staleness(String job) {
        var store = topology.jobView(job);
        var firstPending = store.map(JobStoreView::firstPendingChangeAt).orElse(null);
        var now = clock.instant();
        return watcher.read(
                job,
                activity ->
                        activity.map(a -> a.staleness(firstPending, now))
                                .orElseGet(
                                        () ->
                                                firstPending == null || !now.isAfter(firstPending)
                                                        ? Duration.ZERO
                                                        : Duration.between(firstPending, now)));
    }

    private Map<String, Object> describe(JobSpec job) {
        var body = new LinkedHashMap<String, Object>();
        body.put("name", job.name());
        body.put("kind", job.kind());
        body.put("sources", job.sources().stream().map(Object::toString).sorted().toList());
        body.put("upstream", job.upstream());
        body.put("downstream", graph.downstreamOf(job.name()));
        var policy = new LinkedHashMap<String, Object>();
        policy.put("debounceMs", job.policy().debounce().toMillis());
        policy.put("maxDelayMs", job.policy().maxDelay().toMillis());
        policy.put("timeoutMs", job.policy().timeout().toMillis());
        job.schedule().ifPresent(s -> policy.put("schedule", s.expression() + " " + s.zone()));
        body.put("policy", policy);
        var store = topology.jobView(job.name());
        body.put("storesQueryable", store.isPresent());
        body.put("paused", store.map(JobStoreView::paused).orElse(null));
        body.put("pendingChanges", store.map(JobStoreView::pendingChanges).orElse(null));
        body.put("nextCommandAt", store.map(JobStoreView::nextCommandAt).orElse(null));
        body.put("nextFireAt", store.map(JobStoreView::nextFireAt).orElse(null));
        body.put("stalenessMs", staleness(job.name()).toMillis());
        watcher.read(
                job.name(),
                activity -> {
                    var recent = activity.map(JobActivity::recent).orElse(List.of());
                    body.put("lastResult", activity.map(JobActivity::last).orElse(null));
                    body.put("window", stats(recent));
                    return null;
                });
        return body;
    }

    private Map<String, Object> stats(List<RefreshResult> results) {
        var stats = new LinkedHashMap<String, Object>();
        stats.put("lengthMs", window.toMillis());
        stats.put("results", results.size());
        long succeeded = results.stream().filter(r -> r.status() == Status.SUCCEEDED).count();
        stats.put("successRate", results.isEmpty() ? null : (double) succeeded / results.size());
        var durations =
                results.stream()
                        .map(RefreshResult::durationMs)
                        .filter(d -> d != null)
                        .sorted()
                        .toList();
        stats.put("durationP50Ms", percentile(durations, 0.50));
        stats.put("durationP95Ms", percentile(durations, 0.95));
        return stats;
    }

    /** Nearest-rank percentile of sorted values, null when there are none. */
    static Long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
