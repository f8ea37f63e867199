package io.refreshorchestrator.api;

import io.refreshorchestrator.events.JobControl;
import picocli.CommandLine.Command;

/** {@code resume JOB}: release a paused job; what it collected is commanded once. */
@Command(
        name = "resume",
        mixinStandardHelpOptions = true,
        description = {
            "Resumes a paused job: its changes collected while paused (or a missed schedule fire)"
                    + " are commanded once, at once.",
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
public final class ResumeCommand extends JobControlCommand {
    @Override
    JobControl.Action action() {
        return JobControl.Action.RESUME;
    }
}
