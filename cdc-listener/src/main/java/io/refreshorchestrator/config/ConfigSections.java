package io.refreshorchestrator.config;

import java.util.Set;

/**
 * The top-level sections (and the two top-level scalar keys) of the configuration file. The
 * orchestrator and the standalone listener share one file: the listener reads three of them and
 * accepts the others, so that a typo in a section name is an error for both, never a section
 * silently left at its defaults.
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
                    // top-level keys of the orchestrator (issue 9): this process's stable name
                    // and how long a graceful stop waits for runs under way
                    "instance-id",
                    "shutdown-timeout",
                    // the HTTP API of the orchestrator (issue 10)
                    "http",
                    // the run history in SQL (issue 10)
                    "history");

    private ConfigSections() {}
}
