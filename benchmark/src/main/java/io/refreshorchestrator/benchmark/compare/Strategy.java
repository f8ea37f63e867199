package io.refreshorchestrator.benchmark.compare;

import io.refreshorchestrator.benchmark.compare.WorkloadSchema.ViewKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One way of keeping the workload's views fresh, run against the same data and workloads as the
 * others. It is started once per comparison after the schema was reset, and reports the refresh
 * runs it made (or, for a view maintained in the writing transaction, how soon each commit was
 * visible).
 */
interface Strategy extends AutoCloseable {

    /** Short label for tables and charts, e.g. {@code orchestrator}. */
    String name();

    /** One sentence for the report: what runs and how it is configured. */
    String description();

    default ViewKind viewKind() {
        return ViewKind.MATERIALIZED;
    }

    /**
     * Whether the comparison waits after each workload until its commits are covered. pg_cron's
     * runs come at minute boundaries: it is drained once, after its last workload.
     */
    default boolean drainsEachWorkload() {
        return true;
    }

    /** False for the baseline, which never refreshes and so has nothing to wait for. */
    default boolean refreshes() {
        return true;
    }

    /** Installs whatever the strategy needs in the reset database and starts it. */
    void start(BenchContext context) throws Exception;

    /** Called with each commit as the writers make it (from writer threads). */
    default void onCommit(Commit commit) {}

    /** After a workload's drain time: a strategy may drop a backlog it could not finish. */
    default void afterWorkload() {}

    /** Every refresh the strategy finished so far, of every view. */
    List<RefreshRun> runs() throws Exception;

    /**
     * For a strategy whose views are maintained inside the writing transaction: per view, the
     * moment each commit's row was seen in it (epoch µs, {@link LagCalculator#UNCOVERED} if never),
     * by commit row id. Empty for strategies that refresh.
     */
    default Optional<Map<String, Map<Long, Long>>> visibleAt() {
        return Optional.empty();
    }

    /** CPU and memory of the process doing the refresh work, when it is one apart from the rest. */
    default Optional<ProcessUsage> usage() {
        return Optional.empty();
    }

    /**
     * The lag broken down by stage (capture, topology, queue, refresh: see {@link StageTracker}),
     * for samples that ended in {@code [fromMicros, toMicros)}; empty for a strategy without stages
     * apart.
     */
    default Map<String, LagStats> stages(long fromMicros, long toMicros) {
        return Map.of();
    }

    /** What to print when its commits were not covered in time, e.g. failed runs. */
    default String diagnostics() {
        return "";
    }

    @Override
    void close() throws Exception;
}
