package io.refreshorchestrator.discovery;

import java.time.ZoneId;
import java.util.Objects;

/**
 * A job's timer: a cron expression (5 or 6 fields, or a macro such as {@code @hourly}) or a fixed
 * interval ({@code 30s}), evaluated in {@code zone}.
 */
public record JobSchedule(String expression, ZoneId zone) {

    public JobSchedule {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(zone, "zone");
    }
}
