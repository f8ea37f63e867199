package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.JobPolicy;
import io.refreshorchestrator.events.ChangeSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The changes of one job not yet covered by a command, folded: the value of the {@code
 * debounce-pending} store. Commit times come from Debezium; {@code firstSeenAt}/{@code lastSeenAt}
 * are this process's wall clock when the changes arrived.
 *
 * @param count number of changes folded in
 * @param tables the changed tables, sorted, {@code schema.table}
 * @param firstChangeAt earliest commit time
 * @param lastChangeAt latest commit time
 * @param firstLsn WAL position of the first change folded in (part of the command id)
 * @param lastTxId transaction id of the change with the highest LSN
 * @param lastLsn the highest LSN folded in
 * @param firstSeenAt wall-clock time the first change arrived
 * @param lastSeenAt wall-clock time the latest change arrived
 * @param deadline when the command is due, see {@link #deadline(Instant, Instant, Instant,
 *     JobPolicy)}
 * @param leading whether the first change found the job idle and is due at once (leading edge)
 * @param upstreamTxIds upstream view → transaction id ({@code xid8}) of its latest refresh folded
 *     in (a cascade); see {@link ChangeSummary#upstreamTxIds()}
 */
record PendingChanges(
        long count,
        List<String> tables,
        Instant firstChangeAt,
        Instant lastChangeAt,
        Long firstLsn,
        Long lastTxId,
        Long lastLsn,
        Instant firstSeenAt,
        Instant lastSeenAt,
        Instant deadline,
        Boolean leading,
        Map<String, Long> upstreamTxIds) {

    PendingChanges {
        tables = List.copyOf(tables);
        // Absent in entries written before the leading edge existed.
        leading = leading != null && leading;
        // Absent in entries written before upstream refreshes were carried.
        upstreamTxIds = upstreamTxIds == null ? Map.of() : Map.copyOf(upstreamTxIds);
    }

    /** The first change after the last command. */
    static PendingChanges first(TableChange change, Instant seenAt, JobPolicy policy) {
        return first(change, seenAt, policy, false);
    }

    /** The first change after the last command; {@code leading}: due at once, the job was idle. */
    static PendingChanges first(
            TableChange change, Instant seenAt, JobPolicy policy, boolean leading) {
        Instant committedAt = change.committedAt();
        return new PendingChanges(
                1,
                List.of(change.table().toString()),
                committedAt,
                committedAt,
                change.lsn(),
                change.txId(),
                change.lsn(),
                seenAt,
                seenAt,
                leading ? seenAt : deadline(committedAt, seenAt, seenAt, policy),
                leading,
                withUpstream(Map.of(), change));
    }

    /** These changes and one more, with the deadline moved accordingly. */
    PendingChanges fold(TableChange change, Instant seenAt, JobPolicy policy) {
        var allTables = new TreeSet<>(tables);
        allTables.add(change.table().toString());
        Instant first = min(firstChangeAt, change.committedAt());
        // The wall clock may step back (NTP); the quiet period counts from the latest arrival.
        Instant latestSeen = max(lastSeenAt, seenAt);
        boolean newest = isNewer(change);
        return new PendingChanges(
                count + 1,
                List.copyOf(allTables),
                first,
                max(lastChangeAt, change.committedAt()),
                firstLsn,
                newest ? change.txId() : lastTxId,
                newest ? change.lsn() : lastLsn,
                firstSeenAt,
                latestSeen,
                leading ? deadline : deadline(first, firstSeenAt, latestSeen, policy),
                leading,
                withUpstream(upstreamTxIds, change));
    }

    /** These changes due at {@code newDeadline} instead. */
    PendingChanges withDeadline(Instant newDeadline) {
        return new PendingChanges(
                count,
                tables,
                firstChangeAt,
                lastChangeAt,
                firstLsn,
                lastTxId,
                lastLsn,
                firstSeenAt,
                lastSeenAt,
                newDeadline,
                leading,
                upstreamTxIds);
    }

    /**
     * Due after the quiet period since the latest arrival, but never later than {@code maxDelay}
     * after the anchor of the first change.
     *
     * <p>The anchor is the first change's commit time, so that capture lag counts against the
     * bound, but never more than one quiet period before its arrival: when capture falls behind (a
     * backlog after a restart, a busy machine), every change would otherwise arrive already overdue
     * and each punctuation would command the few changes read since the last one, a refresh storm
     * exactly when the database is busiest. Nor is it ever after the arrival, so a database clock
     * ahead of ours cannot push the bound out.
     */
    static Instant deadline(
            Instant firstChangeAt, Instant firstSeenAt, Instant lastSeenAt, JobPolicy policy) {
        Instant earliestCredited = firstSeenAt.minus(policy.debounce());
        Instant anchor = min(firstSeenAt, max(firstChangeAt, earliestCredited));
        return min(lastSeenAt.plus(policy.debounce()), anchor.plus(policy.maxDelay()));
    }

    /** What the command reports about these changes. */
    ChangeSummary summary() {
        return new ChangeSummary(
                count, tables, firstChangeAt, lastChangeAt, lastTxId, lastLsn, upstreamTxIds);
    }

    /**
     * {@code ids} plus the upstream refresh {@code change} stands for, if it is one. Of two
     * refreshes of one view the later one is kept, which has the higher id: refreshes of one view
     * never overlap (the executor runs them under one lock), so the later one's transaction began
     * after the earlier one committed, and a snapshot that sees it sees the earlier one too.
     * Refreshes of different views may overlap, so each view keeps its own.
     */
    private static Map<String, Long> withUpstream(Map<String, Long> ids, TableChange change) {
        if (change.upstreamTxId() == null) {
            return ids;
        }
        var next = new TreeMap<>(ids);
        next.merge(change.table().toString(), change.upstreamTxId(), Math::max);
        return next;
    }

    /**
     * Whether {@code change} is the latest so far: by LSN, the order PostgreSQL committed in, or by
     * arrival when there is no LSN to compare.
     */
    private boolean isNewer(TableChange change) {
        if (change.lsn() == null) {
            return lastLsn == null;
        }
        return lastLsn == null || change.lsn() >= lastLsn;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
