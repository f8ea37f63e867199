package io.refreshorchestrator.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The open transaction of each input partition, in memory: after the first event of a transaction
 * on a table has been routed, the following events of that transaction in the same partition only
 * count here, and their count and last LSN go out as one {@link JobInput.Change#continued()} record
 * when the run ends (another transaction on the partition, or a quiet punctuation).
 *
 * <p>Safe to lose at any moment (a crash, a rebalance, a revived task): an event is folded only
 * when the first event of its transaction was routed at an <em>earlier offset</em> of the same
 * partition. Under exactly-once, an event's offset is committed together with everything routed
 * before it, so that first record is durable whenever the folded event's offset is; after a rewind
 * the replay reaches the first event again, which is not after itself and is routed anew. Losing
 * this memory therefore only costs an extra record or a lower count, never a missing change.
 */
final class TransactionFolds {

    /** Punctuation intervals without an event after which a transaction's run counts as ended. */
    static final int QUIET_INTERVALS = 5;

    /** One input partition. */
    record Source(String topic, int partition) {}

    /** The transaction being folded on one partition. */
    static final class Open {
        final TableChange first;
        final long firstOffset;
        final List<String> jobs;
        long lastOffset;
        long lastTimestamp;
        long lastSeenMillis;
        long folded;
        Long foldedFirstLsn;
        Long foldedLastLsn;

        Open(TableChange first, long offset, long timestamp, long seenMillis, List<String> jobs) {
            this.first = first;
            this.firstOffset = offset;
            this.lastOffset = offset;
            this.lastTimestamp = timestamp;
            this.lastSeenMillis = seenMillis;
            this.jobs = jobs;
        }

        boolean continues(TableChange change, long offset) {
            return change.txId() != null
                    && offset > firstOffset
                    && change.txId().equals(first.txId())
                    && change.table().equals(first.table())
                    && change.committedAt().equals(first.committedAt());
        }

        /** What was folded since the last record sent for it, as one record; null if nothing. */
        JobInput.Change takeRest() {
            if (folded == 0) {
                return null;
            }
            var rest =
                    new JobInput.Change(
                            first.table(),
                            first.committedAt(),
                            first.txId(),
                            foldedFirstLsn,
                            foldedLastLsn,
                            folded,
                            true,
                            null);
            folded = 0;
            foldedFirstLsn = foldedLastLsn = null;
            return rest;
        }
    }

    private final Map<Source, Open> open = new HashMap<>();

    private final long quietMillis;

    /**
     * @param punctuationInterval how often {@link #quiet} is called
     */
    TransactionFolds(Duration punctuationInterval) {
        this.quietMillis = punctuationInterval.toMillis() * QUIET_INTERVALS;
    }

    /**
     * Counts {@code change} into its partition's open transaction if it continues it; false when it
     * must be routed (then call {@link #start}).
     *
     * @param timestamp the record's timestamp
     * @param nowMillis the wall clock
     */
    boolean fold(Source source, long offset, long timestamp, long nowMillis, TableChange change) {
        Open current = open.get(source);
        if (current == null || !current.continues(change, offset)) {
            return false;
        }
        if (offset <= current.lastOffset) {
            // A rewind into the run: what was counted since the last record sent is read again.
            current.folded = 0;
            current.foldedFirstLsn = current.foldedLastLsn = null;
        }
        current.folded++;
        if (current.foldedFirstLsn == null) {
            current.foldedFirstLsn = change.lsn();
        }
        if (change.lsn() != null
                && (current.foldedLastLsn == null || change.lsn() > current.foldedLastLsn)) {
            current.foldedLastLsn = change.lsn();
        }
        current.lastOffset = offset;
        current.lastTimestamp = timestamp;
        current.lastSeenMillis = nowMillis;
        return true;
    }

    /**
     * Ends the partition's open transaction, because {@code change} at {@code offset} was routed,
     * and opens {@code change}'s own when it has a transaction id. Returns the ended one, holding
     * its unsent rest, or null when there is none or the partition was rewound (the rest will be
     * read again).
     */
    Open start(
            Source source,
            long offset,
            long timestamp,
            long nowMillis,
            TableChange change,
            List<String> jobs) {
        Open ended =
                change.txId() == null || jobs.isEmpty()
                        ? open.remove(source)
                        : open.put(source, new Open(change, offset, timestamp, nowMillis, jobs));
        return ended != null && offset > ended.lastOffset ? ended : null;
    }

    /**
     * The open transactions with an unsent rest that received nothing for the quiet period: their
     * runs have most likely ended. Those quiet with nothing to send are forgotten, so the memory
     * holds only the partitions read recently; a late event of a forgotten run is routed again.
     */
    List<Open> quiet(long nowMillis) {
        List<Open> quiet = new ArrayList<>();
        for (var entries = open.values().iterator(); entries.hasNext(); ) {
            Open current = entries.next();
            if (nowMillis - current.lastSeenMillis < quietMillis) {
                continue;
            }
            if (current.folded > 0) {
                quiet.add(current);
            } else {
                entries.remove();
            }
        }
        return quiet;
    }

    /** Forgets everything: a new or revived task starts from its committed offsets. */
    void clear() {
        open.clear();
    }
}
