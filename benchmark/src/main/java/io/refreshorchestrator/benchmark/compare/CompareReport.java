package io.refreshorchestrator.benchmark.compare;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a comparison produced, written as JSON as it is and rendered as markdown by {@link
 * MarkdownReport}.
 */
record CompareReport(
        int version,
        Instant startedAt,
        double elapsedSeconds,
        String mode,
        MachineInfo machine,
        int seedRows,
        Map<String, String> strategies,
        Map<String, String> workloads,
        List<CellResult> cells,
        List<TargetCheck> targets) {

    /** One of the targets, with the figure measured and whether it was met. */
    record TargetCheck(String target, String measured, String verdict) {}
}
