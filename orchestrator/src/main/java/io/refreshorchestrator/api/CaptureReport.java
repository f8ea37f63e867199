package io.refreshorchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.refreshorchestrator.cdc.CaptureStatus;
import io.refreshorchestrator.cdc.CdcSettings;
import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.events.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;

/**
 * How change capture is doing, for {@code status}: the latest {@link CaptureStatus} the capturing
 * process published on the signals topic, its latest capture reset, and the replication slot as
 * PostgreSQL sees it now.
 *
 * @param state STREAMING, RETRYING, FAILED, STARTING or STOPPED as last reported; null when nothing
 *     was reported
 * @param reportedAt when that report was taken: a report older than a few status intervals means
 *     the process is gone
 * @param retainedWalBytes WAL the slot holds back now ({@code pg_current_wal_lsn() - restart_lsn})
 * @param slotExists whether the slot exists now
 * @param slotActivePid the walsender streaming from the slot, null when none does
 * @param lastReset reason of the latest capture reset, null when none was signalled
 */
public record CaptureReport(
        String slot,
        String state,
        Instant since,
        String reason,
        String instance,
        Instant reportedAt,
        Instant lastEventCommittedAt,
        boolean slotExists,
        Long retainedWalBytes,
        Integer slotActivePid,
        String walStatus,
        String lastReset,
        Instant lastResetAt) {

    /** Status records are published every 30 s by default: the last hour's are plenty. */
    private static final long RECENT_RECORDS = 1_000;

    static CaptureReport read(
            CdcSettings cdc, KafkaSettings kafka, Connection connection, Duration timeout)
            throws TimeoutException, SQLException {
        var latest = new JsonNode[2]; // [status, reset]
        TopicScan.read(
                kafka,
                cdc.signalsTopic(),
                RECENT_RECORDS,
                timeout,
                value -> keepLatest(cdc.slotName(), value, latest));
        var status = latest[0];
        var reset = latest[1];
        var report =
                new CaptureReport(
                        cdc.slotName(),
                        text(status, "state"),
                        instant(status, "since"),
                        text(status, "reason"),
                        text(status, "instance"),
                        instant(status, "at"),
                        instant(status, "lastEventCommittedAt"),
                        false,
                        null,
                        null,
                        null,
                        text(reset, "reason"),
                        instant(reset, "at"));
        return report.withSlot(connection);
    }

    private CaptureReport withSlot(Connection connection) throws SQLException {
        try (var statement =
                connection.prepareStatement(
                        "SELECT pg_current_wal_lsn() - restart_lsn, active_pid, wal_status"
                                + " FROM pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, slot);
            try (var result = statement.executeQuery()) {
                if (!result.next()) {
                    return this;
                }
                var retained = result.getBigDecimal(1);
                int pid = result.getInt(2);
                Integer activePid = result.wasNull() ? null : pid;
                return new CaptureReport(
                        slot,
                        state,
                        since,
                        reason,
                        instance,
                        reportedAt,
                        lastEventCommittedAt,
                        true,
                        retained == null ? null : retained.longValue(),
                        activePid,
                        result.getString(3),
                        lastReset,
                        lastResetAt);
            }
        }
    }

    private static void keepLatest(String slot, byte[] value, JsonNode[] latest) {
        JsonNode node;
        try {
            node = value == null ? null : Json.mapper().readTree(value);
        } catch (IOException e) {
            return; // not ours to judge: status shows what it can read
        }
        if (node == null || !slot.equals(text(node, "slot"))) {
            return;
        }
        int index =
                switch (String.valueOf(text(node, "type"))) {
                    case CaptureStatus.CAPTURE_STATUS -> 0;
                    case "CAPTURE_RESET" -> 1;
                    default -> -1;
                };
        if (index >= 0 && !isBefore(node, latest[index])) {
            latest[index] = node;
        }
    }

    /** Several instances may report: the latest report wins. */
    private static boolean isBefore(JsonNode node, JsonNode known) {
        var at = instant(node, "at");
        var knownAt = instant(known, "at");
        return at != null && knownAt != null && at.isBefore(knownAt);
    }

    private static String text(JsonNode node, String field) {
        return node == null || !node.hasNonNull(field) ? null : node.get(field).asText();
    }

    private static Instant instant(JsonNode node, String field) {
        var text = text(node, field);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
