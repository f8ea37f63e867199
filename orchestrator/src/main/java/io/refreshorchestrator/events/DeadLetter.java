package io.refreshorchestrator.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Value of the {@code refresh-dlq} topic: a record that could not be parsed or was rejected before
 * execution, kept whole with the reason, so nothing is lost.
 *
 * @param value the original value as text (UTF-8), or null for a tombstone
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(
        int version,
        String reason,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        String key,
        String value,
        Instant rejectedAt) {

    public static final int CURRENT_VERSION = 1;
}
