package io.refreshorchestrator.config;

import io.refreshorchestrator.discovery.JobPolicy;
import io.refreshorchestrator.discovery.JobSchedule;
import io.refreshorchestrator.schedule.Schedules;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the timing knobs of {@code defaults} and of each job: {@code target-lag}, {@code
 * refresh-budget}, {@code leading-edge}, and a job's {@code schedule} with its {@code timezone}.
 */
final class TimingSection {

    static final Set<String> POLICY_KEYS = Set.of("target-lag", "refresh-budget", "leading-edge");
    static final Set<String> JOB_KEYS = Set.of("schedule", "timezone");

    private TimingSection() {}

    /**
     * {@code policy} (debounce, max delay and the rest already read at {@code path} over {@code
     * base}) with the timing knobs of {@code path}. A {@code target-lag} at this level derives the
     * debounce (unless given here too) and the max delay; a {@code max-delay} here drops an
     * inherited target lag.
     */
    static JobPolicy policy(ConfigReader reader, String path, JobPolicy policy, JobPolicy base) {
        double budget = budget(reader, path + ".refresh-budget", base.refreshBudget());
        boolean leadingEdge = reader.bool(path + ".leading-edge", base.leadingEdge());
        var paced = policy.withPacing(budget, leadingEdge);
        if (reader.isSet(path + ".target-lag")) {
            if (reader.isSet(path + ".max-delay")) {
                reader.problem(
                        path + ".target-lag",
                        "set either target-lag (max-delay is derived from it) or max-delay");
                return paced;
            }
            var targetLag =
                    reader.duration(
                            path + ".target-lag", Duration.ofSeconds(10), Duration.ofMillis(20));
            var derived = paced.withTargetLag(targetLag);
            if (reader.isSet(path + ".debounce")) {
                if (policy.debounce().compareTo(derived.maxDelay()) > 0) {
                    reader.problem(
                            path + ".debounce",
                            "must be at most half the target-lag ("
                                    + Durations.format(derived.maxDelay())
                                    + ")");
                }
                return new JobPolicy(
                        policy.debounce(),
                        derived.maxDelay(),
                        derived.timeout(),
                        derived.lockTimeout(),
                        derived.targetLag(),
                        budget,
                        leadingEdge);
            }
            return derived;
        }
        if (reader.isSet(path + ".max-delay")) {
            return new JobPolicy(
                    paced.debounce(),
                    paced.maxDelay(),
                    paced.timeout(),
                    paced.lockTimeout(),
                    Optional.empty(),
                    budget,
                    leadingEdge);
        }
        return new JobPolicy(
                paced.debounce(),
                paced.maxDelay(),
                paced.timeout(),
                paced.lockTimeout(),
                base.targetLag(),
                budget,
                leadingEdge);
    }

    /** The job's timer at {@code path}.schedule, in {@code path}.timezone (default UTC). */
    static Optional<JobSchedule> schedule(ConfigReader reader, String path) {
        var expression = reader.string(path + ".schedule");
        var zoneText = reader.string(path + ".timezone");
        if (expression.isEmpty()) {
            if (zoneText.isPresent()) {
                reader.problem(path + ".timezone", "only applies to a schedule, and none is set");
            }
            return Optional.empty();
        }
        ZoneId zone = ZoneOffset.UTC;
        if (zoneText.isPresent()) {
            try {
                zone = ZoneId.of(zoneText.get());
            } catch (DateTimeException e) {
                reader.problem(
                        path + ".timezone",
                        "'" + zoneText.get() + "' is not a time zone, e.g. Europe/Berlin or UTC");
                return Optional.empty();
            }
        }
        var problem = Schedules.problem(expression.get());
        if (problem.isPresent()) {
            reader.problem(path + ".schedule", problem.get());
            return Optional.empty();
        }
        return Optional.of(new JobSchedule(expression.get().trim(), zone));
    }

    private static double budget(ConfigReader reader, String path, double defaultValue) {
        var text = reader.string(path);
        if (text.isEmpty()) {
            return defaultValue;
        }
        String value = text.get().trim();
        try {
            double share =
                    value.endsWith("%")
                            ? Double.parseDouble(value.substring(0, value.length() - 1).trim())
                                    / 100
                            : Double.parseDouble(value);
            if (share > 0 && share <= 1) {
                return share;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        reader.problem(
                path, "'" + value + "' must be a share of time in (0, 1] or (0%, 100%], e.g. 25%");
        return defaultValue;
    }
}
