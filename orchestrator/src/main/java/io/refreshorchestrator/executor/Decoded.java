package io.refreshorchestrator.executor;

import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.events.DeadLetter;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshResult;

/** What a record on the commands topic turned out to be: a command to run, or a rejection. */
sealed interface Decoded {

    /** A valid command, defaults filled, for a known job. */
    record Accepted(JobSpec job, RefreshCommand command) implements Decoded {}

    /**
     * A record not run: the dead letter that keeps it, and, when the command itself could be read,
     * the REJECTED result its publisher waits for (null otherwise).
     */
    record Rejected(DeadLetter deadLetter, RefreshResult result) implements Decoded {}
}
