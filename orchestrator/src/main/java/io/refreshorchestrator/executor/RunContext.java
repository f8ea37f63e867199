package io.refreshorchestrator.executor;

import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.RunError;
import io.refreshorchestrator.events.Status;
import java.time.Clock;

/** What stays the same across the attempts of one command, and how its result is built. */
final class RunContext {
    final JobSpec job;
    final RefreshCommand command;
    private final Clock clock;
    final Long txId;
    boolean gatePassed;
    String gateDetail;

    RunContext(JobSpec job, RefreshCommand command, Clock clock) {
        this.clock = clock;
        this.job = job;
        this.command = command;
        this.txId = command.changes() == null ? null : command.changes().lastTxId();
        // Any job triggered by changes waits until it can see them, not only refreshes.
        this.gatePassed = txId == null;
    }

    RefreshResult result(Attempt attempt, Status status, RunError error, String... details) {
        String[] all = new String[details.length + 1];
        all[0] = gateDetail;
        System.arraycopy(details, 0, all, 1, details.length);
        return Results.ofRun(command, job.kind(), attempt, status, clock.instant(), error, all);
    }
}
