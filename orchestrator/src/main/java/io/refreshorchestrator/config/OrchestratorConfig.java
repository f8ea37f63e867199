package io.refreshorchestrator.config;

import io.refreshorchestrator.cdc.CdcSettings;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.executor.ExecutorSettings;
import java.util.Optional;

/**
 * The whole configuration of the all-in-one orchestrator, validated.
 *
 * @param kafka empty when no {@code kafka.bootstrap-servers} is set: an embedded single-node broker
 *     is started for local use
 * @param cdcEnabled whether the cdc-listener runs in this process
 * @param cdc the listener's settings, capturing exactly the source tables of {@code jobs}; its
 *     Kafka settings are a placeholder while {@code kafka} is empty
 */
public record OrchestratorConfig(
        PostgresSettings postgres,
        Optional<KafkaSettings> kafka,
        boolean cdcEnabled,
        CdcSettings cdc,
        TopicNames topics,
        StreamsOptions streams,
        ExecutorSettings executor,
        JobGraph jobs) {}
