package io.refreshorchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TxIdsTest {

    private static long xid8(long epoch, long xid) {
        return (epoch << 32) | xid;
    }

    @Test
    void shouldPlaceACommittedXidBelowXmaxInTheCurrentEpoch() {
        assertThat(TxIds.toXid8(999, xid8(5, 1000))).hasValue(xid8(5, 999));
    }

    @Test
    void shouldPlaceAnXidJustAboveXmaxInTheCurrentEpoch() {
        // given: decoding announced the commit, the snapshot does not cover it yet
        long xmax = xid8(5, 1000);

        // then: it is a transaction still to wait for, not one from the previous epoch
        assertThat(TxIds.toXid8(1005, xmax)).hasValue(xid8(5, 1005));
    }

    @Test
    void shouldPlaceAnXidFarAboveXmaxInThePreviousEpoch() {
        // given: the counter wrapped a moment ago
        long xmax = xid8(5, 100);

        // then
        assertThat(TxIds.toXid8(4_000_000_000L, xmax)).hasValue(xid8(4, 4_000_000_000L));
    }

    @Test
    void shouldPlaceAnXidJustAcrossTheWrapInTheNextEpoch() {
        // given: xmax at the very end of epoch 5, the transaction got one of the first xids of 6
        long xmax = xid8(5, 0xFFFF_FFF0L);

        // then
        assertThat(TxIds.toXid8(5, xmax)).hasValue(xid8(6, 5));
    }

    @Test
    void shouldIgnoreAnXidFromBeforeTheFirstEpoch() {
        assertThat(TxIds.toXid8(4_000_000_000L, xid8(0, 1000))).isEmpty();
    }

    @Test
    void shouldIgnoreSpecialAndNegativeXids() {
        assertThat(TxIds.toXid8(0, xid8(1, 1000))).isEmpty();
        assertThat(TxIds.toXid8(2, xid8(1, 1000))).isEmpty();
        assertThat(TxIds.toXid8(-7, xid8(1, 1000))).isEmpty();
    }

    @Test
    void shouldTakeAWideValueAsAnXid8Already() {
        assertThat(TxIds.toXid8(xid8(3, 42), xid8(5, 1000))).hasValue(xid8(3, 42));
    }

    @Property
    void shouldRecoverEveryXidWithin2To31OfXmax(
            @ForAll @LongRange(min = 1, max = 1L << 20) long epoch,
            @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long xmaxLow,
            @ForAll @LongRange(min = -(1L << 31), max = (1L << 31) - 1) long distance) {
        long xmax = xid8(epoch, xmaxLow);
        long actual = xmax + distance;
        if ((actual & 0xFFFF_FFFFL) < 3) {
            return; // special xids are never assigned to transactions
        }

        assertThat(TxIds.toXid8(actual & 0xFFFF_FFFFL, xmax)).hasValue(actual);
    }
}
