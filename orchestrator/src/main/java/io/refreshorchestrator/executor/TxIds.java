package io.refreshorchestrator.executor;

import java.util.OptionalLong;

/**
 * Widens the 32-bit transaction id Debezium reports into the 64-bit {@code xid8} that {@code
 * pg_visible_in_snapshot} compares, using the epoch of a current snapshot's {@code xmax}.
 */
final class TxIds {

    private static final long LOW_32_BITS = 0xFFFF_FFFFL;

    /** xids 0-2 are invalid, bootstrap and frozen: never a transaction to wait for. */
    private static final long FIRST_NORMAL_XID = 3;

    private TxIds() {}

    /**
     * The xid8 of {@code txId}, read relative to {@code snapshotXmax} (an xid8), or empty when it
     * names no transaction of this cluster (nothing to wait for).
     *
     * <p>PostgreSQL compares 32-bit xids by their signed distance modulo 2^32, and live xids are
     * always within 2^31 of each other, so the same rule places {@code txId} in an epoch: far above
     * the snapshot's low 32 bits means the previous epoch (the counter wrapped since), a little
     * above means the current one. The second case matters: a transaction whose commit logical
     * decoding already announced may still be above the snapshot's xmax, which is exactly what the
     * caller waits for, so it must not be mistaken for an old one. A value already wider than 32
     * bits is taken as an xid8.
     */
    static OptionalLong toXid8(long txId, long snapshotXmax) {
        if (txId < 0 || snapshotXmax < 0) {
            return OptionalLong.empty();
        }
        if (txId > LOW_32_BITS) {
            return OptionalLong.of(txId);
        }
        if (txId < FIRST_NORMAL_XID) {
            return OptionalLong.empty();
        }
        int distance = (int) (txId - (snapshotXmax & LOW_32_BITS));
        long xid8 = snapshotXmax + distance;
        // Below zero: before the cluster's first epoch, so not one of its transactions.
        return xid8 < FIRST_NORMAL_XID ? OptionalLong.empty() : OptionalLong.of(xid8);
    }
}
