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
        return first(JobInput.Change.of(change), seenAt, policy, false);
    }

    /** The first changes after the last command; {@code leading}: due at once, the job was idle. */
    static PendingChanges first(
            JobInput.Change change, Instant seenAt, JobPolicy policy, boolean leading) {
        Instant committedAt = change.committedAt();
        return new PendingChanges(
                change.count(),
                List.of(change.table().toString()),
                committedAt,
                committedAt,
                change.lsn(),
                change.txId(),
                change.lastLsn(),
                seenAt,
                seenAt,
                leading ? seenAt : deadline(committedAt, seenAt, seenAt, policy),
                leading,
                withUpstream(Map.of(), change));
    }

    /** These changes and one more, with the deadline moved accordingly. */
    PendingChanges fold(TableChange change, Instant seenAt, JobPolicy policy) {
        return fold(JobInput.Change.of(change), seenAt, policy);
    }

    /**
     * These changes and {@code change}, with the deadline moved accordingly. The rest of a
     * transaction ({@link JobInput.Change#continued()}) adds only its rows and position: its
     * transaction's first row already counted, here or in an earlier command, with its commit time
     * and its arrival. It moves no deadline: the quiet period separates transactions, and rows of
     * one already committed transaction need no wait for each other.
     */
    PendingChanges fold(JobInput.Change change, Instant seenAt, JobPolicy policy) {
        if (change.continued()) {
            return rest(change);
        }
        boolean sameTables = tables.contains(change.table().toString());
        List<String> allTables = tables;
        if (!sameTables) {
            var sorted = new TreeSet<>(tables);
            sorted.add(change.table().toString());
            allTables = List.copyOf(sorted);
        }
        Instant first =
                change.continued() ? firstChangeAt : min(firstChangeAt, change.committedAt());
        Instant last = change.continued() ? lastChangeAt : max(lastChangeAt, change.committedAt());
        // The wall clock may step back (NTP); the quiet period counts from the latest arrival.
        Instant latestSeen = max(lastSeenAt, seenAt);
        boolean newest = isNewer(change.lastLsn());
        return new PendingChanges(
                count + change.count(),
                allTables,
                first,
                max(lastChangeAt, change.committedAt()),
                firstLsn,
                newest ? change.txId() : lastTxId,
                newest ? change.lastLsn() : lastLsn,
                firstSeenAt,
                latestSeen,
                leading ? deadline : deadline(first, firstSeenAt, latestSeen, policy),
                leading,
                withUpstream(upstreamTxIds, change));
    }

    private PendingChanges rest(JobInput.Change rest) {
        boolean newest = isNewer(rest.lastLsn());
        return new PendingChanges(
                count + rest.count(),
                tables,
                firstChangeAt,
                lastChangeAt,
                firstLsn,
                newest ? rest.txId() : lastTxId,
                newest ? rest.lastLsn() : lastLsn,
                firstSeenAt,
                lastSeenAt,
                deadline,
                leading,
                withUpstream(upstreamTxIds, rest));
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
    private static Map<String, Long> withUpstream(Map<String, Long> ids, JobInput.Change change) {
        if (change.upstreamTxId() == null) {
            return ids;
        }
        var next = new TreeMap<>(ids);
        next.merge(change.table().toString(), change.upstreamTxId(), Math::max);
        return next;
    }

    /**
     * Whether a change at {@code lsn} is the latest so far: by LSN, the order PostgreSQL committed
     * in, or by arrival when there is no LSN to compare.
     */
    private boolean isNewer(Long lsn) {
        if (lsn == null) {
            return lastLsn == null;
        }
        return lastLsn == null || lsn >= lastLsn;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
