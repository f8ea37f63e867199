package io.refreshorchestrator.api;

import io.refreshorchestrator.events.JobControl;
import picocli.CommandLine.Command;

/** {@code pause JOB}: hold a job's commands; its changes and missed schedule fires are kept. */
@Command(
        name = "pause",
        mixinStandardHelpOptions = true,
        description = {
            "Pauses one job: no command is issued for it until it is resumed. Its changes keep"
                    + " being collected (and a schedule fire while paused is remembered), so it is"
                    + " commanded once on resume.",
            "",
            "A job listed under jobs: is checked against the file alone; any other is looked up in"
                    + " the catalog as run discovers it, which needs the database (in local mode:"
                    + " in the running process's job list).",
            "",
            "Which Kafka: as for trigger (kafka.bootstrap-servers of --config, otherwise the"
                    + " local-mode process of the data directory, --data-dir).",
            "",
            "Exit codes: 0 requested, 1 Kafka (or, for a discovered job, PostgreSQL) unreachable,"
                    + " no local process running, or the control topic missing, 2 invalid"
                    + " configuration or unknown job.",
        })
public final class PauseCommand extends JobControlCommand {
    @Override
    JobControl.Action action() {
        return JobControl.Action.PAUSE;
    }
}
