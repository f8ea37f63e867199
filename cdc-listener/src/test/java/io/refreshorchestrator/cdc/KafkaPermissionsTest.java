package io.refreshorchestrator.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.config.PostgresSettings;
import io.refreshorchestrator.config.Secret;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.Test;

/** Which operations capture needs on its topics, and how a lack of one is told. */
class KafkaPermissionsTest {

    @Test
    void shouldNeedWriteOnWhatCapturePublishesAndReadWriteOnItsOffsets() {
        // given the default names
        var settings =
                CdcSettings.builder(
                                new PostgresSettings(
                                        "localhost", 5432, "app", "u", Secret.of("x"), Map.of()),
                                KafkaSettings.of("localhost:9092"))
                        .tables("public.plays")
                        .build();

        // then
        assertThat(KafkaPermissions.required(settings))
                .containsEntry("cdc.public.plays", Set.of(AclOperation.WRITE))
                .containsEntry("__debezium-heartbeat.cdc", Set.of(AclOperation.WRITE))
                .containsEntry("refresh-signals", Set.of(AclOperation.WRITE))
                .containsEntry(
                        "refresh-orchestrator-cdc-offsets",
                        Set.of(AclOperation.READ, AclOperation.WRITE))
                .hasSize(4);
    }

    @Test
    void shouldNameTheTopicTheMissingOperationAndWhatIsAllowed() {
        // given
        var required =
                Map.of(
                        "cdc.public.plays", Set.of(AclOperation.WRITE),
                        "offsets", Set.of(AclOperation.READ, AclOperation.WRITE),
                        "not-described", Set.of(AclOperation.WRITE));
        var authorized =
                Map.of(
                        "cdc.public.plays",
                        Set.of(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.CREATE),
                        "offsets",
                        Set.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE));

        // when
        var problems = KafkaPermissions.missing(required, authorized);

        // then
        assertThat(problems)
                .containsExactly(
                        "topic 'cdc.public.plays': WRITE not allowed (allowed: READ, CREATE,"
                                + " DESCRIBE)");
    }

    @Test
    void shouldAcceptWhatABrokerWithoutAuthorizerReports() {
        var everything = Set.of(AclOperation.values());

        assertThat(
                        KafkaPermissions.missing(
                                Map.of("t", Set.of(AclOperation.READ, AclOperation.WRITE)),
                                Map.of("t", everything)))
                .isEmpty();
    }
}
