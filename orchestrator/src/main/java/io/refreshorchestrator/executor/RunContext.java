package io.refreshorchestrator.executor;

import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.RunError;
import io.refreshorchestrator.events.Status;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** What stays the same across the attempts of one command, and how its result is built. */
final class RunContext {
    final JobSpec job;
    final RefreshCommand command;
    private final Clock clock;

    /** The transactions the run must be able to see: the last source one, upstream refreshes. */
    final List<Long> txIds;

    boolean gatePassed;
    String gateDetail;

    RunContext(JobSpec job, RefreshCommand command, Clock clock) {
        this.clock = clock;
        this.job = job;
        this.command = command;
        this.txIds = awaited(command);
        // Any job triggered by changes waits until it can see them, not only refreshes.
        this.gatePassed = txIds.isEmpty();
    }

    private static List<Long> awaited(RefreshCommand command) {
        var changes = command.changes();
        var txIds = new ArrayList<Long>();
        if (changes != null) {
            if (changes.lastTxId() != null) {
                txIds.add(changes.lastTxId());
            }
            txIds.addAll(changes.upstreamTxIds().values());
        }
        return List.copyOf(txIds);
    }

    RefreshResult result(Attempt attempt, Status status, RunError error, String... details) {
        String[] all = new String[details.length + 1];
        all[0] = gateDetail;
        System.arraycopy(details, 0, all, 1, details.length);
        return Results.ofRun(command, job.kind(), attempt, status, clock.instant(), error, all);
    }
}
