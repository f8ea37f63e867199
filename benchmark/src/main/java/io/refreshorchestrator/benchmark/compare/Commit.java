package io.refreshorchestrator.benchmark.compare;

/**
 * One committed write of a workload: the row it inserted and when the commit returned to the writer
 * (epoch microseconds, the writer's clock: an upper bound of the commit instant, so a refresh that
 * started before it returned is never counted as covering it).
 */
public record Commit(long rowId, int campaignId, int day, long committedMicros) {}
