package io.refreshorchestrator.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small decisions capture recovery rests on. */
class CaptureFailuresTest {

    @Test
    void shouldTellFailuresThatNeedAnOperator() {
        assertThat(CdcException.isPermanent(CdcException.permanentOf("not ready:", List.of("x"))))
                .isTrue();
        assertThat(
                        CdcException.isPermanent(
                                new RuntimeException(
                                        "engine failed",
                                        new SQLException(
                                                "all replication slots are in use", "53400"))))
                .isTrue();
        assertThat(
                        CdcException.isPermanent(
                                new CdcException(
                                        "wrapped", new SQLException("permission denied", "42501"))))
                .isTrue();
        assertThat(CdcException.isPermanent(new CdcException("Cannot connect to PostgreSQL")))
                .isFalse();
        assertThat(
                        CdcException.isPermanent(
                                new RuntimeException(
                                        new SQLException("terminating connection", "57P01"))))
                .isFalse();
    }

    @Test
    void shouldResumeOnlyWhereTheSlotStillHoldsTheWal() {
        var slot =
                new ReplicationSlot(
                        "s", "pgoutput", "db", false, null, "reserved", "0/200", 0x200L);

        assertThat(slot.serves(0x200L)).isTrue();
        assertThat(slot.serves(0x300L)).isTrue();
        assertThat(slot.serves(0x1FFL)).as("behind the restart LSN").isFalse();
        assertThat(slot.serves(null)).as("nothing processed yet").isTrue();
    }

    @Test
    void shouldReadTheProcessedPositionOfAStoredOffset() {
        assertThat(StoredOffsets.processedLsn(bytes("{\"lsn_proc\":42,\"lsn\":40,\"txId\":7}")))
                .isEqualTo(42L);
        assertThat(StoredOffsets.processedLsn(bytes("{\"lsn\":40}"))).isEqualTo(40L);
        assertThat(StoredOffsets.processedLsn(bytes("{\"txId\":7}"))).isNull();
        assertThat(StoredOffsets.processedLsn(bytes("not json"))).isNull();
    }

    @Test
    void shouldFormatLsnsAsPostgresDoes() {
        assertThat(Lsns.format(0x15B9598L)).isEqualTo("0/15B9598");
        assertThat(Lsns.format(0x1_0000_0010L)).isEqualTo("1/10");
        assertThat(Lsns.format(null)).isEqualTo("none");
    }

    @Test
    void shouldReadTheCommitTimeOfAnEventWithOrWithoutTheSchemaEnvelope() {
        var plain =
                "{\"before\":null,\"after\":{\"id\":1,\"source\":{\"ts_ms\":1}},"
                        + "\"source\":{\"version\":\"3.6.1\",\"ts_ms\":1767225600000,\"lsn\":9},"
                        + "\"op\":\"c\",\"ts_ms\":1767225601000}";
        var enveloped = "{\"schema\":{\"type\":\"struct\"},\"payload\":" + plain + "}";

        assertThat(SourceCommitTime.of(plain)).contains(Instant.ofEpochMilli(1767225600000L));
        assertThat(SourceCommitTime.of(enveloped)).contains(Instant.ofEpochMilli(1767225600000L));
        assertThat(SourceCommitTime.of("{\"op\":\"c\"}")).isEmpty();
        assertThat(SourceCommitTime.of("{broken")).isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
