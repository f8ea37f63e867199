package io.refreshorchestrator.benchmark.compare;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Freshness lag by the project's own guarantee: a commit is covered by a refresh only when that
 * refresh <em>started after</em> the commit (an earlier one cannot have seen it), and its lag is
 * the time until the earliest-finishing such refresh finished. A commit no refresh covers is
 * uncovered ({@link #UNCOVERED}), never a lag of zero.
 */
public final class LagCalculator {

    /** Marks a commit (or an upstream refresh) that no run covers. */
    public static final long UNCOVERED = -1;

    private LagCalculator() {}

    /**
     * For each time in {@code readyMicros} (commit times, or the times at which an upstream view
     * held a change), the finish of the earliest-finishing run that started strictly after it, or
     * {@link #UNCOVERED}. A ready time that is itself {@link #UNCOVERED} stays uncovered.
     */
    public static long[] coveredAt(long[] readyMicros, List<RefreshRun> runs) {
        var byStart = runs.stream().sorted(Comparator.comparingLong(RefreshRun::startedMicros));
        RefreshRun[] sorted = byStart.toArray(RefreshRun[]::new);
        long[] starts = new long[sorted.length];
        long[] earliestFinishFrom = new long[sorted.length + 1];
        earliestFinishFrom[sorted.length] = Long.MAX_VALUE;
        for (int i = sorted.length - 1; i >= 0; i--) {
            starts[i] = sorted[i].startedMicros();
            earliestFinishFrom[i] = Math.min(earliestFinishFrom[i + 1], sorted[i].finishedMicros());
        }
        long[] covered = new long[readyMicros.length];
        for (int i = 0; i < readyMicros.length; i++) {
            if (readyMicros[i] == UNCOVERED) {
                covered[i] = UNCOVERED;
                continue;
            }
            long finish = earliestFinishFrom[firstStartAfter(starts, readyMicros[i])];
            covered[i] = finish == Long.MAX_VALUE ? UNCOVERED : finish;
        }
        return covered;
    }

    /**
     * The lag of each commit: covered time minus commit time, or {@link #UNCOVERED}. {@code
     * coveredMicros} comes from {@link #coveredAt}, applied once per view along the chain from the
     * source table (a view built on another is covered by a run that started after the upstream run
     * covering the commit had finished).
     */
    public static long[] lags(long[] commitMicros, long[] coveredMicros) {
        long[] lags = new long[commitMicros.length];
        for (int i = 0; i < lags.length; i++) {
            lags[i] =
                    coveredMicros[i] == UNCOVERED ? UNCOVERED : coveredMicros[i] - commitMicros[i];
        }
        return lags;
    }

    /**
     * Runs that started in {@code [fromMicros, toMicros)} while the source was idle: nothing new
     * readable since the previous run of the same view started (the first run of a view counts as
     * idle when nothing precedes it). {@code sortedCommitMicros}, sorted ascending, are the times
     * changes became readable for the view: commit times for a view on tables, the upstream's
     * covering refreshes for a view built on a view ({@link ViewLags#readyAt}).
     */
    public static int idleRuns(
            long[] sortedCommitMicros, List<RefreshRun> runs, long fromMicros, long toMicros) {
        RefreshRun[] sorted =
                runs.stream()
                        .sorted(Comparator.comparingLong(RefreshRun::startedMicros))
                        .toArray(RefreshRun[]::new);
        int idle = 0;
        long previousStart = Long.MIN_VALUE;
        for (RefreshRun run : sorted) {
            long start = run.startedMicros();
            if (start >= fromMicros && start < toMicros) {
                int firstAfterPrevious = firstStartAfter(sortedCommitMicros, previousStart);
                boolean changed =
                        firstAfterPrevious < sortedCommitMicros.length
                                && sortedCommitMicros[firstAfterPrevious] < start;
                if (!changed) {
                    idle++;
                }
            }
            previousStart = start;
        }
        return idle;
    }

    /** Index of the first value strictly greater than {@code time} in ascending {@code values}. */
    private static int firstStartAfter(long[] values, long time) {
        int index = Arrays.binarySearch(values, time);
        if (index < 0) {
            return -index - 1;
        }
        while (index < values.length && values[index] == time) {
            index++;
        }
        return index;
    }
}
