package io.refreshorchestrator.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.connect.errors.ConnectException;
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
    void shouldTreatKafkaRefusingAccessAsPermanentWhereverItIsWrapped() {
        var topic = new TopicAuthorizationException(Set.of("cdc.public.plays"));
        // as the engine reports a consumer that threw, the offset store, a failed future
        assertThat(
                        CdcException.isPermanent(
                                new CdcException(
                                        "The Debezium engine failed: boom",
                                        new ConnectException("batch failed", topic))))
                .isTrue();
        assertThat(
                        CdcException.isPermanent(
                                new ConnectException(
                                        "Error while reading to end of offsets topic",
                                        new ExecutionException(
                                                new GroupAuthorizationException(
                                                        "Not authorized to access group: g",
                                                        "g")))))
                .isTrue();
        assertThat(
                        CdcException.isPermanent(
                                new RuntimeException(
                                        new TransactionalIdAuthorizationException(
                                                "Transactional Id authorization failed."))))
                .isTrue();
        assertThat(
                        CdcException.isPermanent(
                                new CdcException(
                                        "Cannot create Kafka topic 'x'",
                                        new ClusterAuthorizationException(
                                                "Cluster authorization failed."))))
                .isTrue();
        // wrong credentials: SASL, or any authentication failure
        assertThat(
                        CdcException.isPermanent(
                                new CdcException(
                                        "Change capture failed to start",
                                        new SaslAuthenticationException(
                                                "Authentication failed during authentication due"
                                                        + " to invalid credentials with SASL"
                                                        + " mechanism SCRAM-SHA-512"))))
                .isTrue();
        // a broker that went away is retried
        assertThat(
                        CdcException.isPermanent(
                                new CdcException(
                                        "The Debezium engine failed",
                                        new ConnectException(
                                                new org.apache.kafka.common.errors.TimeoutException(
                                                        "Timed out waiting for a node")))))
                .isFalse();
        assertThat(CdcException.isPermanent(new NetworkException("disconnected"))).isFalse();
    }

    @Test
    void shouldNameWhatKafkaRefusedAndWhereTheGrantsAre() {
        var wrapped =
                new CdcException(
                        "The Debezium engine failed: boom",
                        new ConnectException(
                                new TopicAuthorizationException(
                                        Set.of("__debezium-heartbeat.cdc"))));

        var explained = KafkaAccessDeniedException.explain("Change capture", wrapped);

        assertThat(explained)
                .isInstanceOf(KafkaAccessDeniedException.class)
                .hasMessageStartingWith("Change capture: Kafka denied access to topic(s)")
                .hasMessageContaining("[__debezium-heartbeat.cdc]")
                .hasMessageContaining(
                        "TopicAuthorizationException: Not authorized to access topics:"
                                + " [__debezium-heartbeat.cdc]")
                .hasMessageContaining("README's Kafka ACL block")
                .hasCause(wrapped);
        assertThat(KafkaAccessDeniedException.explain("again", explained))
                .as("explained once")
                .isSameAs(explained);
        var engineFailure = new CdcException("The Debezium engine failed", explained);
        assertThat(KafkaAccessDeniedException.explain("Change capture", engineFailure))
                .as("explained where it happened, then wrapped by the engine")
                .isInstanceOf(KafkaAccessDeniedException.class)
                .hasMessage(explained.getMessage())
                .hasCause(engineFailure);
        assertThat(
                        KafkaAccessDeniedException.explain(
                                "Change capture",
                                new CdcException(
                                        "x",
                                        new GroupAuthorizationException(
                                                "Not authorized to access group: grp", "grp"))))
                .hasMessageContaining("to consumer group 'grp'");
        assertThat(
                        KafkaAccessDeniedException.explain(
                                "Change capture",
                                new SaslAuthenticationException("invalid credentials")))
                .hasMessageContaining("rejected the credentials")
                .hasMessageContaining("kafka.properties");
        var unrelated = new CdcException("Cannot connect to PostgreSQL");
        assertThat(KafkaAccessDeniedException.explain("Change capture", unrelated))
                .isSameAs(unrelated);
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
