package io.refreshorchestrator.topology;

import static io.refreshorchestrator.topology.Jobs.ARTIST_STATS;
import static io.refreshorchestrator.topology.Jobs.DAILY_SALES;
import static io.refreshorchestrator.topology.Jobs.POPULAR_TRACKS;
import static io.refreshorchestrator.topology.TopologyHarness.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.events.ChangeSummary;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshCommand;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A capture reset from the cdc-listener refreshes every view: changes before it were missed. */
class CaptureResetTest {

    private static final String SLOT_CREATED =
            """
            {"version":1,"type":"CAPTURE_RESET","reason":"SLOT_CREATED",\
            "slot":"refresh_orchestrator","publication":"refresh_orchestrator",\
            "tables":["public.tracks","public.plays"],"at":"2026-03-02T09:59:58Z",\
            "someFutureField":{"x":1}}""";

    @Test
    void shouldEmitOneStartupCommandPerJobOnCaptureReset() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given three jobs
            // when the cdc-listener announces a new replication slot
            topology.signal(SLOT_CREATED);

            // then each job gets one STARTUP command at once, keyed by its name, with its own id
            var records = topology.commandRecords();
            assertThat(records)
                    .extracting(record -> record.key())
                    .containsExactlyInAnyOrder(POPULAR_TRACKS, ARTIST_STATS, DAILY_SALES);
            for (var record : records) {
                RefreshCommand command = record.value();
                assertThat(command.job()).isEqualTo(record.key());
                assertThat(command.reason()).isEqualTo(Reason.STARTUP);
                assertThat(command.requestedAt()).isEqualTo(START);
                assertThat(command.requestedBy()).isEqualTo("refresh-orchestrator");
                assertThat(command.changes()).isEqualTo(ChangeSummary.none());
            }
            assertThat(records).extracting(r -> r.value().id()).doesNotHaveDuplicates();
            assertThat(topology.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldRefreshOnlyTheJobsReadingTablesAddedToCapture() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given three jobs, one of them on shop.orders
            // when the listener started capturing shop.orders (it had been missed until now)
            topology.signal(
                    SLOT_CREATED
                            .replace("SLOT_CREATED", "TABLES_ADDED")
                            .replace("[\"public.tracks\",\"public.plays\"]", "[\"shop.orders\"]"));

            // then only the job reading it gets a STARTUP command
            assertThat(topology.commandRecords())
                    .extracting(record -> record.key())
                    .containsExactly(DAILY_SALES);
        }
    }

    @Test
    void shouldIssueTheSameIdsWhenTheSameResetIsRedelivered() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given a reset was handled
            topology.signal(SLOT_CREATED);
            List<UUID> first = ids(topology.commands());

            // when the same signal arrives again (the listener is at-least-once)
            topology.signal(SLOT_CREATED);

            // then the commands repeat with the same ids, so the executor can tell
            assertThat(ids(topology.commands())).isEqualTo(first);
        }
    }

    @Test
    void shouldSendMalformedSignalToDlq() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given signals that cannot be read
            topology.signal("CAPTURE_RESET please");
            topology.signal("{\"version\":1,\"reason\":\"SLOT_CREATED\"}");
            topology.signal("{\"type\":\"CAPTURE_RESET\",\"at\":\"yesterday\"}");

            // when a valid one follows
            topology.signal(SLOT_CREATED);

            // then the bad ones are dead letters and the good one is acted on
            var deadLetters = topology.deadLetters();
            assertThat(deadLetters)
                    .extracting(kv -> kv.value.reason())
                    .satisfiesExactly(
                            reason -> assertThat(reason).startsWith("malformed JSON"),
                            reason -> assertThat(reason).isEqualTo("missing required field 'type'"),
                            reason ->
                                    assertThat(reason)
                                            .isEqualTo("field 'at' is not an ISO-8601 instant"));
            assertThat(deadLetters)
                    .allSatisfy(
                            kv -> {
                                assertThat(kv.key).isEqualTo(TopologyHarness.SIGNALS);
                                assertThat(kv.value.sourceTopic())
                                        .isEqualTo(TopologyHarness.SIGNALS);
                            });
            assertThat(topology.commands()).hasSize(3);
        }
    }

    @Test
    void shouldIgnoreSignalTypesItDoesNotKnow() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given a signal type from a newer cdc-listener
            topology.signal("{\"version\":2,\"type\":\"SLOT_LAG\",\"slot\":\"s\"}");

            // then it is neither acted on nor an error
            assertThat(topology.commands()).isEmpty();
            assertThat(topology.deadLetters()).isEmpty();
        }
    }

    private static List<UUID> ids(List<RefreshCommand> commands) {
        return commands.stream().map(RefreshCommand::id).toList();
    }
}
