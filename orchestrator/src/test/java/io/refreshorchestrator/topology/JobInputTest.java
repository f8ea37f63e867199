package io.refreshorchestrator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.JobControl;
import io.refreshorchestrator.events.JsonSerde;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The value of the internal changes-by-job topic, across versions. */
class JobInputTest {

    private static final TableChange CHANGE =
            new TableChange(
                    RelationName.parse("shop.orders"),
                    Instant.parse("2026-03-02T10:00:00Z"),
                    7L,
                    42L);

    @Test
    void shouldRoundTripEveryKindOfInput() {
        var serde = RefreshTopology.JOB_INPUT_SERDE;
        for (JobInput input :
                new JobInput[] {
                    JobInput.Change.of(CHANGE),
                    JobInput.Change.of(
                            new TableChange(
                                    RelationName.parse("analytics.daily"),
                                    Instant.EPOCH,
                                    null,
                                    null,
                                    4_294_967_396L)),
                    new JobInput.Control(JobControl.Action.PAUSE, Instant.EPOCH),
                    new JobInput.Run(2_000, Instant.EPOCH)
                }) {
            assertThat(serde.read(serde.write(input))).isEqualTo(input);
        }
    }

    @Test
    void shouldReadAChangeWrittenBeforeInputsHadATypeAfterAnUpgrade() {
        // given a record of the repartition topic as the previous version wrote it
        byte[] legacy = new JsonSerde<>(TableChange.class).write(CHANGE);

        // then it is read as a change
        assertThat(RefreshTopology.JOB_INPUT_SERDE.read(legacy))
                .isInstanceOfSatisfying(
                        JobInput.Change.class, c -> assertThat(c.change()).isEqualTo(CHANGE));
    }
}
