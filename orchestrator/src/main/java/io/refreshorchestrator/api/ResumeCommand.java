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
            "Exit codes: 0 requested, 1 Kafka unreachable, 2 invalid configuration or unknown job.",
        })
public final class ResumeCommand extends JobControlCommand {
    @Override
    JobControl.Action action() {
        return JobControl.Action.RESUME;
    }
}
