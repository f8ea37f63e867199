package io.refreshorchestrator.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The knobs of the Kafka Streams topology.
 *
 * @param applicationId Kafka Streams application id: consumer group, prefix of internal topics
 * @param stateDir where the local state stores live (rebuilt from their changelogs when lost)
 * @param punctuationInterval how often the debouncer looks for jobs that are due
 * @param threads stream threads of this instance
 */
public record StreamsOptions(
        String applicationId, Path stateDir, Duration punctuationInterval, int threads) {

    public static final StreamsOptions DEFAULTS =
            new StreamsOptions(
                    "refresh-orchestrator",
                    Path.of(System.getProperty("java.io.tmpdir"), "refresh-orchestrator-streams"),
                    Duration.ofMillis(100),
                    1);
}
