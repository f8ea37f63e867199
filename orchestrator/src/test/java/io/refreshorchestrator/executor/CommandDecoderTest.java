package io.refreshorchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobPolicy;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.Status;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class CommandDecoderTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String JOB = "analytics.popular_tracks";

    private final CommandDecoder decoder =
            new CommandDecoder(
                    JobGraph.of(
                            List.of(
                                    JobSpec.refresh(
                                            RelationName.parse(JOB),
                                            Set.of(),
                                            JobPolicy.DEFAULTS))),
                    64,
                    Clock.fixed(NOW, ZoneOffset.UTC));

    private static ConsumerRecord<String, byte[]> record(long offset, String value) {
        return new ConsumerRecord<>(
                "refresh-commands",
                2,
                offset,
                "key",
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldFillDefaultsOfABareCommandFromTheRecord() {
        // given
        var record = record(17, "{\"job\":\"" + JOB + "\"}");

        // when
        var accepted = (Decoded.Accepted) decoder.decode(record);

        // then
        assertThat(accepted.job().name()).isEqualTo(JOB);
        assertThat(accepted.command().reason()).isEqualTo(Reason.MANUAL);
        assertThat(accepted.command().id())
                .isEqualTo(
                        UUID.nameUUIDFromBytes(
                                "refresh-commands/2/17".getBytes(StandardCharsets.UTF_8)));
        assertThat(accepted.command().changes().lastTxId()).isNull();
    }

    @Test
    void shouldKeepTheIdOfARedeliveredRecord() {
        var first = (Decoded.Accepted) decoder.decode(record(17, "{\"job\":\"" + JOB + "\"}"));
        var again = (Decoded.Accepted) decoder.decode(record(17, "{\"job\":\"" + JOB + "\"}"));
        var next = (Decoded.Accepted) decoder.decode(record(18, "{\"job\":\"" + JOB + "\"}"));

        assertThat(again.command().id()).isEqualTo(first.command().id());
        assertThat(next.command().id()).isNotEqualTo(first.command().id());
    }

    @Test
    void shouldDeadLetterMalformedJsonWithItsCoordinates() {
        var rejected = (Decoded.Rejected) decoder.decode(record(3, "{not json"));

        assertThat(rejected.result()).isNull();
        assertThat(rejected.deadLetter().reason()).contains("malformed JSON");
        assertThat(rejected.deadLetter().sourceTopic()).isEqualTo("refresh-commands");
        assertThat(rejected.deadLetter().sourcePartition()).isEqualTo(2);
        assertThat(rejected.deadLetter().sourceOffset()).isEqualTo(3);
        assertThat(rejected.deadLetter().key()).isEqualTo("key");
        assertThat(rejected.deadLetter().value()).isEqualTo("{not json");
        assertThat(rejected.deadLetter().rejectedAt()).isEqualTo(NOW);
    }

    @Test
    void shouldDeadLetterACommandWithoutJobNamingTheField() {
        var rejected = (Decoded.Rejected) decoder.decode(record(3, "{\"reason\":\"MANUAL\"}"));

        assertThat(rejected.deadLetter().reason()).contains("'job'");
    }

    @Test
    void shouldDeadLetterAWrongFieldTypeNamingTheField() {
        var rejected =
                (Decoded.Rejected)
                        decoder.decode(record(3, "{\"job\":\"x\",\"reason\":\"LATER\"}"));

        assertThat(rejected.deadLetter().reason()).contains("reason");
    }

    @Test
    void shouldDeadLetterAnOversizedCommandUnreadAndTruncated() {
        // given: 65 bytes against a limit of 64
        String big = "{\"job\":\"" + "x".repeat(55) + "\"}";

        // when
        var rejected = (Decoded.Rejected) decoder.decode(record(4, big));

        // then
        assertThat(rejected.deadLetter().reason())
                .contains("65 bytes exceeds the limit of 64 bytes");
        assertThat(rejected.deadLetter().value()).hasSize(64);
    }

    @Test
    void shouldDeadLetterATombstoneAndJsonNull() {
        assertThat(((Decoded.Rejected) decoder.decode(record(5, null))).deadLetter().reason())
                .contains("tombstone");
        assertThat(((Decoded.Rejected) decoder.decode(record(6, "null"))).deadLetter().reason())
                .contains("null");
    }

    @Test
    void shouldRejectAnUnknownJobWithAResultAndADeadLetter() {
        // when
        var rejected = (Decoded.Rejected) decoder.decode(record(9, "{\"job\":\"nope.view\"}"));

        // then
        assertThat(rejected.deadLetter().reason()).isEqualTo("unknown job 'nope.view'");
        assertThat(rejected.result().status()).isEqualTo(Status.REJECTED);
        assertThat(rejected.result().job()).isEqualTo("nope.view");
        assertThat(rejected.result().attempts()).isZero();
        assertThat(rejected.result().error().message()).isEqualTo("unknown job 'nope.view'");
        assertThat(rejected.result().commandId()).isEqualTo(CommandDecoder.idOf(record(9, "")));
    }
}
