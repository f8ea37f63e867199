package io.refreshorchestrator.executor;

import io.refreshorchestrator.events.RefreshCommand;
import java.time.Instant;
import java.util.UUID;

/**
 * The latest SUCCEEDED run of a job: which command ran it, when it started by the database's clock
 * (the clock of change commit times) and the snapshot taken right before it; once recorded, also
 * when it finished and its transaction (null for a run recorded by a version without them).
 */
record LastRun(
        UUID commandId, Instant startedAt, PgSnapshot snapshot, Instant finishedAt, Long txId) {

    /** A run that has begun: its end and transaction are not known yet. */
    LastRun(UUID commandId, Instant startedAt, PgSnapshot snapshot) {
        this(commandId, startedAt, snapshot, null, null);
    }

    /** This run, finished at {@code at} in transaction {@code transaction}. */
    LastRun finished(Instant at, Long transaction) {
        return new LastRun(commandId, startedAt, snapshot, at, transaction);
    }

    /** Whether this run was {@code command} itself (a redelivery of a command that ran). */
    boolean ran(RefreshCommand command) {
        return commandId.equals(command.id());
    }

    /**
     * Whether this run covers {@code command}: it started after the command's last change commit
     * (after {@code requestedAt} when the command carries no changes), the command's last source
     * transaction was visible to it, and so was every upstream refresh the command carries (a
     * cascade: this job reads the upstream view, which held the change only once its refresh
     * committed, so a run that saw the source commit but not the upstream's refresh read the old
     * view). Each upstream refresh is checked on its own: seeing one of them says nothing about
     * another, which may have committed later or earlier. A command can only be skipped on that
     * ground, the design's guarantee. A command that ran itself is covered whatever the clocks say:
     * a redelivery never runs twice.
     */
    boolean covers(RefreshCommand command) {
        if (ran(command)) {
            return true;
        }
        var changes = command.changes();
        Instant threshold =
                changes != null && changes.lastChangeAt() != null
                        ? changes.lastChangeAt()
                        : command.requestedAt();
        if (threshold == null || !startedAt.isAfter(threshold)) {
            return false;
        }
        if (changes == null) {
            return true;
        }
        if (changes.lastTxId() != null && !snapshot.sawCommitted(changes.lastTxId())) {
            return false;
        }
        return changes.upstreamTxIds().values().stream().allMatch(snapshot::sawCommitted);
    }

    /** Later of two runs by start; either may be null. */
    static LastRun latest(LastRun a, LastRun b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return b.startedAt.isAfter(a.startedAt) ? b : a;
    }

    /** The result detail of a command this run covered. */
    String coverDetail(RefreshCommand command) {
        if (ran(command)) {
            return "already ran as this command (redelivered) at " + startedAt;
        }
        return "covered by run " + commandId + " started at " + startedAt;
    }
}
