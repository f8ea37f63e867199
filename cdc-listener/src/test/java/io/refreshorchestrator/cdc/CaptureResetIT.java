package io.refreshorchestrator.cdc;

import static io.refreshorchestrator.cdc.CaptureFixture.timeout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A position the server can no longer serve, and a slot that disappears under a running capture,
 * are capture resets: capture resumes, the reset is signalled, the next change is captured.
 */
@ExtendWith(LocalStackExtension.class)
class CaptureResetIT {

    private CaptureFixture fixture;
    private TopicTail plays;
    private CdcSupervisor supervisor;

    @BeforeEach
    void createWorld(LocalStack stack) {
        fixture = new CaptureFixture(stack, "reset_it");
        fixture.sql(
                "CREATE TABLE public.plays (id bigint PRIMARY KEY, track text NOT NULL)",
                "CREATE TABLE public.audit (id bigserial PRIMARY KEY, note text)");
    }

    @AfterEach
    void closeWorld() {
        if (plays != null) {
            plays.close();
        }
        if (supervisor != null) {
            supervisor.close();
        }
        fixture.close();
    }

    @Test
    void shouldResetWhenTheStoredPositionIsBehindTheSlot() throws Exception {
        // given: capture ran, and the position it stored first is remembered (a backup of the
        // offsets topic, say)
        var settings = fixture.settings("public.plays").build();
        var first = fixture.start(settings);
        first.awaitStreaming(timeout(90));
        plays = tail(settings);
        fixture.sql("INSERT INTO public.plays (id, track) VALUES (1, 'captured')");
        plays.awaitCount(1, timeout(30));
        var offsets = new StoredOffsets(Map.of(), settings);
        await("a stored position")
                .atMost(timeout(30))
                .until(() -> !ours(settings, offsets).isEmpty());
        var old = ours(settings, offsets).get(0);
        // the slot moves on past it while the database writes on
        fixture.sql("INSERT INTO public.audit (note) VALUES ('not captured')");
        awaitSlotRestartPast(settings.slotName(), StoredOffsets.processedLsn(bytes(old[1])));
        first.close();

        // when: the old position is restored, and capture starts
        send(settings.offsetsTopic(), old[0], old[1]);
        var second = fixture.start(settings);
        second.awaitStreaming(timeout(90));
        fixture.sql("INSERT INTO public.plays (id, track) VALUES (2, 'after the reset')");

        // then: capture streams on from the slot, and the reset is signalled
        plays.awaitRecords("row 2", timeout(30), all -> CdcListenerIT.afterIds(all).contains(2L));
        assertThat(reasons(settings)).containsExactly("SLOT_CREATED", "OFFSET_UNAVAILABLE");
    }

    @Test
    void shouldResetWhenTheSlotIsDroppedUnderARunningCapture() throws Exception {
        // given: capture streams under its supervisor
        var settings = fixture.settings("public.plays").build();
        supervisor = new CdcSupervisor(settings, Duration.ofMillis(200), Duration.ofSeconds(2));
        supervisor.start();
        assertThat(supervisor.awaitStreaming(timeout(90))).as("streaming").isTrue();
        plays = tail(settings);
        fixture.sql("INSERT INTO public.plays (id, track) VALUES (1, 'captured')");
        plays.awaitCount(1, timeout(30));

        // when: a DBA drops the slot (ending its walsender first); a change is made meanwhile
        // (capture reconnects within a fraction of a second: the DBA may need a second try)
        await("slot " + settings.slotName() + " dropped")
                .atMost(timeout(30))
                .ignoreExceptions()
                .until(
                        () -> {
                            fixture.sql(
                                    "SELECT pg_terminate_backend(active_pid, 5000)"
                                            + " FROM pg_replication_slots WHERE slot_name = '"
                                            + settings.slotName()
                                            + "' AND active_pid IS NOT NULL",
                                    "SELECT pg_drop_replication_slot('"
                                            + settings.slotName()
                                            + "')");
                            return true;
                        });
        fixture.sql("INSERT INTO public.plays (id, track) VALUES (2, 'while the slot was gone')");

        // then: a new slot, the loss is signalled, and the next change is captured
        await("a capture reset signalled")
                .atMost(timeout(90))
                .until(() -> reasons(settings).size() == 2);
        assertThat(reasons(settings)).containsExactly("SLOT_CREATED", "SLOT_CREATED");
        await("capture streaming again").atMost(timeout(60)).until(supervisor::isStreaming);
        fixture.sql("INSERT INTO public.plays (id, track) VALUES (3, 'after the reset')");
        plays.awaitRecords("row 3", timeout(30), all -> CdcListenerIT.afterIds(all).contains(3L));

        // and: the outage was visible, in the process and on the signals topic
        var health = supervisor.health().snapshot();
        assertThat(health.state()).isEqualTo(CaptureHealth.State.STREAMING);
        assertThat(health.restarts()).isPositive();
        await("the last change's commit time in the health")
                .atMost(timeout(30))
                .until(() -> supervisor.health().snapshot().lastEventCommittedAt() != null);
        await("capture status records: streaming, retrying, streaming again")
                .atMost(timeout(30))
                .untilAsserted(
                        () ->
                                assertThat(statusStates(settings))
                                        .containsSubsequence("STREAMING", "RETRYING", "STREAMING"));
    }

    @Test
    void shouldReportAFailureThatRetryingCannotFixWithoutRetryingItAsTransient() {
        // given: a role without the REPLICATION attribute
        var role = fixture.id + "_norepl";
        fixture.sql("CREATE ROLE " + role + " LOGIN");
        var base = fixture.settings("public.plays").build();
        var postgres = base.postgres();
        var settings =
                base.toBuilder()
                        .postgres(
                                new io.refreshorchestrator.config.PostgresSettings(
                                        postgres.host(),
                                        postgres.port(),
                                        postgres.database(),
                                        role,
                                        postgres.password(),
                                        postgres.properties()))
                        .build();

        // when
        supervisor = new CdcSupervisor(settings, Duration.ofMillis(50), Duration.ofMillis(100));
        supervisor.start();

        // then: FAILED with the reason, and not retried every 100 ms
        await("capture FAILED")
                .atMost(timeout(60))
                .until(() -> supervisor.health().snapshot().state() == CaptureHealth.State.FAILED);
        assertThat(supervisor.health().snapshot().reason()).contains("REPLICATION").contains(role);
        await("no retry within two seconds")
                .during(Duration.ofSeconds(2))
                .atMost(timeout(10))
                .until(() -> supervisor.restarts() == 0);
        await("the failure published")
                .atMost(timeout(30))
                .until(() -> statusStates(settings).contains("FAILED"));
    }

    private List<String> statusStates(CdcSettings settings) {
        return fixture.values(settings.signalsTopic()).stream()
                .filter(signal -> "CAPTURE_STATUS".equals(signal.path("type").asText()))
                .map(signal -> signal.get("state").asText())
                .toList();
    }

    private TopicTail tail(CdcSettings settings) {
        return new TopicTail(
                fixture.stack.kafka().bootstrapServers(), settings.changeTopics().get(0));
    }

    private List<String> reasons(CdcSettings settings) {
        return fixture.values(settings.signalsTopic()).stream()
                .filter(signal -> "CAPTURE_RESET".equals(signal.path("type").asText()))
                .map(signal -> signal.get("reason").asText())
                .toList();
    }

    /** This listener's stored positions, oldest first, as {key, value}. */
    private List<String[]> ours(CdcSettings settings, StoredOffsets offsets) {
        return fixture.records(settings.offsetsTopic()).stream()
                .filter(record -> record.value() != null)
                .filter(record -> offsets.isOurs(bytes(record.key())))
                .map(record -> new String[] {record.key(), record.value()})
                .toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void send(String topic, String key, String value) throws Exception {
        try (var producer =
                new KafkaProducer<String, String>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                fixture.stack.kafka().bootstrapServers(),
                                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                                StringSerializer.class,
                                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                                StringSerializer.class))) {
            producer.send(new ProducerRecord<>(topic, 0, key, value)).get();
        }
    }

    private void awaitSlotRestartPast(String slot, long lsn) {
        await("slot " + slot + " restart_lsn past " + lsn)
                .atMost(timeout(120))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            try (var connection = fixture.connect();
                                    var statement =
                                            connection.prepareStatement(
                                                    "SELECT restart_lsn - '0/0'::pg_lsn > ?"
                                                            + " FROM pg_replication_slots WHERE slot_name = ?")) {
                                statement.setLong(1, lsn);
                                statement.setString(2, slot);
                                try (var result = statement.executeQuery()) {
                                    return result.next() && result.getBoolean(1);
                                }
                            }
                        });
    }
}
