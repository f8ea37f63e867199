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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;

/**
 * How change capture is doing, for {@code status}: the latest {@link CaptureStatus} of the
 * capturing instance (the latest report that is neither STANDBY nor STOPPED; else the latest
 * STOPPED one; else the latest), the instances standing by, its latest capture reset, and the
 * replication slot as PostgreSQL sees it now.
 *
 * @param state STREAMING, RETRYING, FAILED, STARTING, STANDBY or STOPPED as last reported; null
 *     when nothing was reported
 * @param reportedAt when that report was taken: a report older than a few status intervals means
 *     the process is gone
 * @param retainedWalBytes WAL the slot holds back now ({@code pg_current_wal_lsn() - restart_lsn})
 * @param slotExists whether the slot exists now
 * @param slotActivePid the walsender streaming from the slot, null when none does
 * @param lastReset reason of the latest capture reset, null when none was signalled
 * @param standby instances standing by to take capture over (their latest report is STANDBY and
 *     recent: within three status intervals)
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
        Instant lastResetAt,
        List<String> standby) {

    private static final String STANDBY = "STANDBY";
    private static final String STOPPED = "STOPPED";

    /** Status records are published every 30 s by default: the last hour's are plenty. */
    private static final long RECENT_RECORDS = 1_000;

    static CaptureReport read(
            CdcSettings cdc, KafkaSettings kafka, Connection connection, Duration timeout)
            throws TimeoutException, SQLException {
        var latest = new JsonNode[2]; // [status, reset]
        Map<String, JsonNode> byInstance = new TreeMap<>();
        TopicScan.read(
                kafka,
                cdc.signalsTopic(),
                RECENT_RECORDS,
                timeout,
                value -> keepLatest(cdc.slotName(), value, latest, byInstance));
        var status = capturing(byInstance).orElse(latest[0]);
        var reset = latest[1];
        var standby =
                standingBy(byInstance, Instant.now().minus(cdc.statusInterval().multipliedBy(3)));
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
                        instant(reset, "at"),
                        standby);
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
                        lastResetAt,
                        standby);
            }
        }
    }

    /**
     * The capturing instance's report, from each instance's latest: the latest that is neither
     * STANDBY nor STOPPED (an instance's STOPPED says nothing about who captures now), else the
     * latest STOPPED one.
     */
    static java.util.Optional<JsonNode> capturing(Map<String, JsonNode> byInstance) {
        return latestWhere(byInstance, state -> !STANDBY.equals(state) && !STOPPED.equals(state))
                .or(() -> latestWhere(byInstance, STOPPED::equals));
    }

    /** The instances whose latest report is STANDBY and taken after {@code recent}, by name. */
    static List<String> standingBy(Map<String, JsonNode> byInstance, Instant recent) {
        return byInstance.entrySet().stream()
                .filter(e -> STANDBY.equals(text(e.getValue(), "state")))
                .filter(e -> instant(e.getValue(), "at").isAfter(recent))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    private static java.util.Optional<JsonNode> latestWhere(
            Map<String, JsonNode> byInstance, java.util.function.Predicate<String> state) {
        return byInstance.values().stream()
                .filter(node -> state.test(text(node, "state")))
                .max(Comparator.comparing(node -> instant(node, "at")));
    }

    private static void keepLatest(
            String slot, byte[] value, JsonNode[] latest, Map<String, JsonNode> byInstance) {
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
        var instance = text(node, "instance");
        if (index == 0
                && instance != null
                && instant(node, "at") != null
                && !isBefore(node, byInstance.get(instance))) {
            byInstance.put(instance, node);
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
