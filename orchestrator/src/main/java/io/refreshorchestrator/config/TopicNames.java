package io.refreshorchestrator.config;

import io.refreshorchestrator.events.JobControl;
import io.refreshorchestrator.events.Topics;

/**
 * The orchestrator's own topics and how to create them when they are missing.
 *
 * @param control where {@code pause}/{@code resume} publish and the topology reads; records carry
 *     the deployment's application id, so deployments sharing it never act on each other's
 * @param partitions partitions of topics the orchestrator creates; commands of one job always go to
 *     one partition (keyed by job), so this bounds how many executors share the work
 */
public record TopicNames(
        String commands,
        String results,
        String dlq,
        String control,
        int partitions,
        short replicationFactor) {

    public static final TopicNames DEFAULTS =
            new TopicNames(
                    Topics.DEFAULT_COMMANDS,
                    Topics.DEFAULT_RESULTS,
                    Topics.DEFAULT_DLQ,
                    JobControl.DEFAULT_TOPIC,
                    3,
                    (short) 1);

    /** The topic registry with these names. */
    public Topics topics() {
        return Topics.named(commands, results, dlq);
    }
}
