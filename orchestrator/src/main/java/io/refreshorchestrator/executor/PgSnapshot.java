package io.refreshorchestrator.executor;

import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A {@code pg_snapshot} in its text form {@code xmin:xmax:xip,...}, as a refresh recorded it, so
 * whether a committed transaction was visible to that refresh is decided without a round trip.
 */
record PgSnapshot(long xmin, long xmax, Set<Long> inProgress) {

    PgSnapshot {
        inProgress = Set.copyOf(inProgress);
    }

    static PgSnapshot parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a pg_snapshot: " + text);
        }
        Set<Long> xip = new HashSet<>();
        if (!parts[2].isEmpty()) {
            for (String xid : parts[2].split(",")) {
                xip.add(Long.parseLong(xid));
            }
        }
        return new PgSnapshot(Long.parseLong(parts[0]), Long.parseLong(parts[1]), xip);
    }

    /**
     * Whether the transaction with 32-bit id {@code txId} (as Debezium reports it), known to have
     * committed, was visible to this snapshot; {@code true} when it names no transaction of the
     * cluster, as the visibility gate treats it.
     */
    boolean sawCommitted(long txId) {
        OptionalLong xid8 = TxIds.toXid8(txId, xmax);
        if (xid8.isEmpty()) {
            return true;
        }
        long xid = xid8.getAsLong();
        return xid < xmin || (xid < xmax && !inProgress.contains(xid));
    }
}
