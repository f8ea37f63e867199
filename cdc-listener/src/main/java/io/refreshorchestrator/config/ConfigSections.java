package io.refreshorchestrator.config;

import java.util.Set;

/**
 * The top-level sections of the configuration file. The orchestrator and the standalone listener
 * share one file: the listener reads three of them and accepts the others, so that a typo in a
 * section name is an error for both, never a section silently left at its defaults.
 */
public final class ConfigSections {

    /** Every section either program reads. */
    public static final Set<String> ALL =
            Set.of(
                    "postgres",
                    "kafka",
                    "cdc",
                    "topics",
                    "streams",
                    "executor",
                    "defaults",
                    "discovery",
                    "jobs",
                    "http");

    private ConfigSections() {}
}
