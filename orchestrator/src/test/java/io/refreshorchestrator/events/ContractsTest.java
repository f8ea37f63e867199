package io.refreshorchestrator.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The topic contracts across producers and readers of different versions. */
class ContractsTest {

    private static final Instant AT = Instant.parse("2026-11-22T14:03:05.901Z");

    private static String json(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldCarryUpstreamRefreshesInACascadedCommand() {
        // given
        var command =
                RefreshCommand.of(
                        UUID.randomUUID(),
                        "analytics.weekly",
                        Reason.CASCADE,
                        AT,
                        "refresh-orchestrator",
                        new ChangeSummary(
                                1,
                                List.of("analytics.daily"),
                                AT,
                                AT,
                                null,
                                null,
                                Map.of("analytics.daily", 7_431L)));

        // when
        byte[] written = Topics.COMMAND_SERDE.write(command);

        // then
        assertThat(json(written)).contains("\"upstreamTxIds\":{\"analytics.daily\":7431}");
        assertThat(Topics.COMMAND_SERDE.read(written)).isEqualTo(command);
    }

    @Test
    void shouldReadACommandWithoutUpstreamRefreshesAsCarryingNone() {
        // given: a command of a producer that predates the field, and a bare manual one
        var older =
                Topics.COMMAND_SERDE.read(
                        bytes(
                                "{\"version\":1,\"job\":\"analytics.weekly\",\"reason\":\"CASCADE\","
                                        + "\"changes\":{\"count\":1,\"tables\":[\"analytics.daily\"],"
                                        + "\"firstChangeAt\":\"2026-11-22T14:03:05.901Z\","
                                        + "\"lastChangeAt\":\"2026-11-22T14:03:05.901Z\"}}"));
        var manual = Topics.COMMAND_SERDE.read(bytes("{\"job\":\"analytics.weekly\"}"));

        // then
        assertThat(older.changes().upstreamTxIds()).isEmpty();
        assertThat(manual.changes()).isNull();
        assertThat(manual.withDefaults(UUID.randomUUID(), AT).changes().upstreamTxIds()).isEmpty();
    }

    @Test
    void shouldWriteNoUpstreamRefreshesForSourceChanges() {
        var changes = new ChangeSummary(3, List.of("public.plays"), AT, AT, 7_421L, 24_360_128L);

        assertThat(Json.mapper().valueToTree(changes).toString()).doesNotContain("upstreamTxIds");
    }

    @Test
    void shouldPublishTheRunsTransactionInAResultThatOlderReadersCanSkip() {
        // given
        var result =
                new RefreshResult(
                        RefreshResult.CURRENT_VERSION,
                        UUID.randomUUID(),
                        "analytics.daily",
                        JobKind.REFRESH,
                        Status.SUCCEEDED,
                        Reason.DATA_CHANGE,
                        RefreshMode.CONCURRENTLY,
                        1,
                        AT,
                        AT,
                        AT,
                        0L,
                        AT,
                        0L,
                        null,
                        null,
                        7_431L);

        // when
        byte[] written = Topics.RESULT_SERDE.write(result);

        // then
        assertThat(json(written)).contains("\"txId\":7431");
        assertThat(Topics.RESULT_SERDE.read(written)).isEqualTo(result);
        var withoutIt =
                Topics.RESULT_SERDE.read(
                        bytes(
                                "{\"version\":1,\"job\":\"analytics.daily\",\"status\":\"SUCCEEDED\","
                                        + "\"attempts\":1,\"someFutureField\":true}"));
        assertThat(withoutIt.txId()).isNull();
    }
}
