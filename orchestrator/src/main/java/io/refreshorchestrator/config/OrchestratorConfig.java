package io.refreshorchestrator.config;

import io.refreshorchestrator.cdc.CdcSettings;
import io.refreshorchestrator.discovery.JobDeclarations;
import io.refreshorchestrator.executor.ExecutorSettings;
import java.util.Optional;

/**
 * The whole configuration of the all-in-one orchestrator, validated.
 *
 * @param kafka empty when no {@code kafka.bootstrap-servers} is set: an embedded single-node broker
 *     is started for local use
 * @param cdcEnabled whether the cdc-listener runs in this process
 * @param cdc the listener's settings without tables: the orchestrator captures exactly the source
 *     tables of the job graph it discovers at start; its Kafka settings are a placeholder while
 *     {@code kafka} is empty
 * @param instanceId the top-level {@code instance-id}: this process's stable name among the
 *     instances (static group membership, the capturing instance's name); default the host name
 * @param jobs discovery settings and configured jobs, turned into the job graph with the catalog at
 *     start
 * @param http the HTTP API
 * @param history the run history in SQL
 */
public record OrchestratorConfig(
        PostgresSettings postgres,
        Optional<KafkaSettings> kafka,
        boolean cdcEnabled,
        CdcSettings cdc,
        TopicNames topics,
        StreamsOptions streams,
        ExecutorSettings executor,
        String instanceId,
        JobDeclarations jobs,
        HttpSettings http,
        HistorySettings history) {}
