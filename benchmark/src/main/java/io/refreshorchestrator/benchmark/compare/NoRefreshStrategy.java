package io.refreshorchestrator.benchmark.compare;

import io.refreshorchestrator.freshness.RefreshRun;
import java.util.List;

/** The baseline: materialized views that nothing refreshes, for the write latency it costs. */
final class NoRefreshStrategy implements Strategy {

    @Override
    public String name() {
        return "none (baseline)";
    }

    @Override
    public String description() {
        return "no refresh at all: the write latency and throughput every other strategy is"
                + " measured against";
    }

    @Override
    public boolean drainsEachWorkload() {
        return false;
    }

    @Override
    public boolean refreshes() {
        return false;
    }

    @Override
    public void start(BenchContext context) {}

    @Override
    public List<RefreshRun> runs() {
        return List.of();
    }

    @Override
    public void close() {}
}
