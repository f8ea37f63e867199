package io.refreshorchestrator.topology;

import io.refreshorchestrator.events.ChangeSummary;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshCommand;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * The refresh commands the topology issues. Ids are name-based UUIDs of what the command covers,
 * never random: the same input gives the same commands, in tests and in a replay.
 */
final class Commands {

    /** {@code requestedBy} of every command the topology issues. */
    static final String REQUESTED_BY = "refresh-orchestrator";

    private Commands() {}

    /** The command for a job's pending changes, requested at punctuation time. */
    static RefreshCommand dataChange(String job, PendingChanges pending, Instant requestedAt) {
        return forChanges(Reason.DATA_CHANGE, job, pending, requestedAt);
    }

    /**
     * The command for a job whose pending changes all come from upstream jobs' refreshes: {@code
     * tables} names those views, {@code firstChangeAt} is the original commit they carried.
     */
    static RefreshCommand cascade(String job, PendingChanges pending, Instant requestedAt) {
        return forChanges(Reason.CASCADE, job, pending, requestedAt);
    }

    private static RefreshCommand forChanges(
            Reason reason, String job, PendingChanges pending, Instant requestedAt) {
        // The first change (commit time, LSN, arrival) plus the count tells two batches of one
        // job apart, even when one large transaction is split across two commands.
        UUID id =
                id(
                        reason,
                        job,
                        pending.firstChangeAt(),
                        pending.firstLsn(),
                        pending.firstSeenAt(),
                        pending.count());
        return RefreshCommand.of(id, job, reason, requestedAt, REQUESTED_BY, pending.summary());
    }

    /** The command for the schedule fire of {@code job} due at {@code fireAt}. */
    static RefreshCommand schedule(String job, Instant fireAt, Instant requestedAt) {
        UUID id = id(Reason.SCHEDULE, job, fireAt);
        return RefreshCommand.of(
                id, job, Reason.SCHEDULE, requestedAt, REQUESTED_BY, ChangeSummary.none());
    }

    /** The command that refreshes {@code job} because capture restarted from nothing. */
    static RefreshCommand startup(String job, CaptureSignal signal, Instant requestedAt) {
        UUID id = id(Reason.STARTUP, job, signal.slot(), signal.reason(), signal.at());
        return RefreshCommand.of(
                id, job, Reason.STARTUP, requestedAt, REQUESTED_BY, ChangeSummary.none());
    }

    private static UUID id(Object... parts) {
        var name = new StringBuilder("refresh-orchestrator");
        for (Object part : parts) {
            name.append('|').append(part);
        }
        return UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8));
    }
}
