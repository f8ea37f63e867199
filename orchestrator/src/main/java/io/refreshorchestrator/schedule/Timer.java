package io.refreshorchestrator.schedule;

import com.cronutils.model.time.ExecutionTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** A parsed schedule: when it fires next. */
public sealed interface Timer {

    /** The first fire time strictly after {@code after}. */
    Instant nextFireAfter(Instant after);

    /**
     * A cron expression evaluated in a time zone: local times that a daylight-saving shift skips or
     * repeats are resolved by cron-utils in that zone.
     */
    record Cron(ExecutionTime executionTime, ZoneId zone) implements Timer {
        @Override
        public Instant nextFireAfter(Instant after) {
            return executionTime
                    .nextExecution(after.atZone(zone))
                    .map(next -> next.toInstant())
                    .orElse(Instant.MAX);
        }
    }

    /**
     * A fixed interval, aligned on multiples of it since the epoch so that a restart keeps the same
     * fire times: {@code 30s} fires at :00 and :30 of every minute.
     */
    record Interval(Duration every) implements Timer {
        @Override
        public Instant nextFireAfter(Instant after) {
            long period = every.toMillis();
            long afterMillis = after.toEpochMilli();
            return Instant.ofEpochMilli(Math.floorDiv(afterMillis, period) * period + period);
        }
    }
}
