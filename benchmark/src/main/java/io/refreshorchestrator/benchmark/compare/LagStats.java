package io.refreshorchestrator.benchmark.compare;

import io.refreshorchestrator.freshness.LagCalculator;
import org.HdrHistogram.Histogram;

/**
 * A lag distribution in milliseconds, with the commits no refresh covered counted apart.
 *
 * @param samples commits with a lag (covered)
 * @param uncovered commits no refresh covered by the end of the drain time
 */
record LagStats(
        long samples, long uncovered, double p50Ms, double p95Ms, double p99Ms, double maxMs) {

    static final LagStats NONE = new LagStats(0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    static LagStats of(long[] lagsMicros) {
        var histogram = new Histogram(3_600_000_000L, 3);
        long uncovered = 0;
        for (long lag : lagsMicros) {
            if (lag == LagCalculator.UNCOVERED) {
                uncovered++;
            } else {
                histogram.recordValue(Math.max(0, lag));
            }
        }
        if (histogram.getTotalCount() == 0) {
            return new LagStats(0, uncovered, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new LagStats(
                histogram.getTotalCount(),
                uncovered,
                histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(95) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0,
                histogram.getMaxValue() / 1000.0);
    }
}
