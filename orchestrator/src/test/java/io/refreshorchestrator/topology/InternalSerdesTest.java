package io.refreshorchestrator.topology;

import static io.refreshorchestrator.topology.Jobs.ORDERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refreshorchestrator.discovery.JobPolicy;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.JobControl;
import io.refreshorchestrator.events.JsonSerde;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * The compact values of the stores and the changes-by-job topic: lossless, smaller than JSON, and
 * still able to read the JSON that the previous version left in the changelogs and the topic.
 */
class InternalSerdesTest {

    private static final RelationName UPSTREAM = new RelationName("shop", "daily_totals");

    private static final Instant AT = Instant.parse("2026-03-02T10:00:00.123456789Z");
    private static final JobPolicy POLICY =
            Jobs.policy(Duration.ofSeconds(1), Duration.ofSeconds(5));

    private static final PendingChanges PENDING =
            PendingChanges.first(
                            JobInput.Change.of(new TableChange(ORDERS, AT, 7L, 42L)),
                            AT,
                            POLICY,
                            false)
                    .fold(
                            new JobInput.Change(
                                    Jobs.TRACKS, AT.plusSeconds(1), 8L, 50L, 60L, 11L, false, null),
                            AT.plusMillis(300),
                            POLICY)
                    // a cascade: an upstream view's refresh and the transaction it committed in
                    .fold(
                            JobInput.Change.of(
                                    new TableChange(UPSTREAM, AT.plusSeconds(2), null, null, 912L)),
                            AT.plusMillis(400),
                            POLICY);

    private static final JobState STATE =
            JobState.NEW
                    .withRun(1_200)
                    .withRun(900)
                    .commandedAt(AT)
                    .paused(true)
                    .owed()
                    .scheduled(
                            new io.refreshorchestrator.discovery.JobSchedule(
                                    "0 * * * *", java.time.ZoneId.of("Europe/Paris")),
                            AT.plusSeconds(3_600));

    private static final List<JobInput> INPUTS =
            List.of(
                    new JobInput.Change(ORDERS, AT, 7L, 42L, 99L, 1_000L, true, null),
                    new JobInput.Change(ORDERS, AT, null, null, null, 1L, false, null),
                    JobInput.Change.of(new TableChange(UPSTREAM, AT, null, null, 912L)),
                    new JobInput.Control(JobControl.Action.RESUME, AT),
                    new JobInput.Run(2_000, AT),
                    new JobInput.Run(0, null));

    @Test
    void shouldRoundTripEveryValueExactly() {
        assertThat(PENDING.upstreamTxIds()).containsExactly(Map.entry("shop.daily_totals", 912L));
        assertThat(InternalSerdes.PENDING.read(InternalSerdes.PENDING.write(PENDING)))
                .isEqualTo(PENDING);
        assertThat(InternalSerdes.JOB_STATE.read(InternalSerdes.JOB_STATE.write(STATE)))
                .isEqualTo(STATE);
        assertThat(InternalSerdes.JOB_STATE.read(InternalSerdes.JOB_STATE.write(JobState.NEW)))
                .isEqualTo(JobState.NEW);
        for (JobInput input : INPUTS) {
            assertThat(InternalSerdes.JOB_INPUT.read(InternalSerdes.JOB_INPUT.write(input)))
                    .isEqualTo(input);
        }
    }

    @Test
    void shouldReadTheJsonThePreviousVersionWroteAfterAnUpgrade() {
        // given values as the previous version's JSON serdes wrote them to the changelogs
        byte[] pending = new JsonSerde<>(PendingChanges.class).write(PENDING);
        byte[] state = new JsonSerde<>(JobState.class).write(STATE);
        // and a change on the repartition topic from before transactions were folded
        byte[] change =
                """
                {"type":"change","table":{"schema":"shop","name":"orders"},\
                "committedAt":"2026-03-02T10:00:00.123456789Z","txId":7,"lsn":42}"""
                        .getBytes(StandardCharsets.UTF_8);

        // and a cascade on the repartition topic as main's JSON wrote it, before folding
        byte[] cascade =
                """
                {"type":"change","table":{"schema":"shop","name":"daily_totals"},\
                "committedAt":"2026-03-02T10:00:00.123456789Z","txId":null,"lsn":null,\
                "upstreamTxId":912}"""
                        .getBytes(StandardCharsets.UTF_8);

        // then the new serdes read them
        assertThat(InternalSerdes.PENDING.read(pending)).isEqualTo(PENDING);
        assertThat(InternalSerdes.JOB_STATE.read(state)).isEqualTo(STATE);
        assertThat(InternalSerdes.JOB_INPUT.read(change))
                .isEqualTo(JobInput.Change.of(new TableChange(ORDERS, AT, 7L, 42L)));
        assertThat(InternalSerdes.JOB_INPUT.read(cascade))
                .isEqualTo(JobInput.Change.of(new TableChange(UPSTREAM, AT, null, null, 912L)));
    }

    @Test
    void shouldWriteLessThanHalfOfWhatJsonTook() {
        assertThat(InternalSerdes.PENDING.write(PENDING).length)
                .isLessThan(new JsonSerde<>(PendingChanges.class).write(PENDING).length / 2);
        assertThat(InternalSerdes.JOB_INPUT.write(INPUTS.get(0)).length)
                .isLessThan(new JsonSerde<>(JobInput.class).write(INPUTS.get(0)).length / 2);
    }

    @Test
    void shouldRejectWhatItCannotReadWithAClearError() {
        byte[] truncated = Arrays.copyOf(InternalSerdes.PENDING.write(PENDING), 10);
        byte[] longer = Arrays.copyOf(InternalSerdes.PENDING.write(PENDING), 200);

        assertThatThrownBy(() -> InternalSerdes.PENDING.read(truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessage("truncated PendingChanges");
        assertThatThrownBy(() -> InternalSerdes.PENDING.read(longer))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("bytes after the last field");
        assertThatThrownBy(() -> InternalSerdes.JOB_STATE.read(new byte[] {9, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessage("unknown format 9 of JobState");
        assertThatThrownBy(() -> InternalSerdes.JOB_INPUT.read(new byte[] {2, 7}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown job input kind 7");
        // layout 1 was never released: nothing wrote it
        assertThatThrownBy(() -> InternalSerdes.JOB_INPUT.read(new byte[] {1, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessage("unknown format 1 of JobInput");
    }

    @Test
    void shouldWriteEveryComponentOfTheRecordsItEncodes() {
        // A component added to one of these records must be added to InternalSerdes too (at the
        // end, under a new format byte), or it would be silently dropped by the stores: this list
        // is what the layouts write, in order.
        assertThat(components(PendingChanges.class))
                .containsExactly(
                        "count",
                        "tables",
                        "firstChangeAt",
                        "lastChangeAt",
                        "firstLsn",
                        "lastTxId",
                        "lastLsn",
                        "firstSeenAt",
                        "lastSeenAt",
                        "deadline",
                        "leading",
                        "upstreamTxIds");
        assertThat(components(JobState.class))
                .containsExactly(
                        "lastCommandAt",
                        "recentRunMillis",
                        "paused",
                        "owedWhilePaused",
                        "scheduleExpression",
                        "scheduleZone",
                        "nextFireAt");
        assertThat(components(JobInput.Change.class))
                .containsExactly(
                        "table",
                        "committedAt",
                        "txId",
                        "lsn",
                        "lastLsn",
                        "count",
                        "continued",
                        "upstreamTxId");
        assertThat(components(JobInput.Control.class)).containsExactly("action", "requestedAt");
        assertThat(components(JobInput.Run.class)).containsExactly("durationMs", "finishedAt");
        assertThat(JobInput.class.getPermittedSubclasses()).hasSize(3);
    }

    private static List<String> components(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList();
    }
}
