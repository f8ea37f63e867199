package io.refreshorchestrator.api;

import io.refreshorchestrator.app.BrokerReachability;
import io.refreshorchestrator.config.Durations;
import io.refreshorchestrator.config.KafkaSettings;
import java.time.Duration;

/**
 * How the short-lived commands ({@code pause}, {@code resume}, {@code status}) meet an unreachable
 * broker: one line and exit code 1 after {@link #WAIT}, not a client timeout after a minute.
 */
final class CliKafka {

    /** How long a command waits for the broker to answer. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private CliKafka() {}

    /**
     * @throws CommandFailure with exit code 1 when the broker does not answer within {@link #WAIT}
     */
    static void requireReachable(KafkaSettings kafka) throws CommandFailure, InterruptedException {
        try {
            BrokerReachability.await(
                    kafka, WAIT, "the commands' wait of " + Durations.format(WAIT), line -> {});
        } catch (BrokerReachability.BrokerUnreachableException e) {
            throw new CommandFailure(1, e.getMessage());
        }
    }
}
