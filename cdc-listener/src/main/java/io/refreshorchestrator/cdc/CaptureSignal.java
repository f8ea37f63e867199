package io.refreshorchestrator.cdc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/**
 * Value of the signals topic (key: the slot name): change capture (re)started from a point where
 * earlier changes of {@code tables} were never seen, so every job built on them must be refreshed
 * once. The orchestrator turns one signal into one STARTUP command per job. Published after the
 * point capture resumes from exists, so a refresh started after it covers everything missed.
 *
 * <pre>{@code
 * {"version":1,"type":"CAPTURE_RESET","reason":"SLOT_CREATED","slot":"refresh_orchestrator",
 *  "publication":"refresh_orchestrator","tables":["public.plays"],"at":"2025-01-01T00:00:00Z"}
 * }</pre>
 *
 * @param version contract version, {@value #CURRENT_VERSION}
 * @param type always {@link #CAPTURE_RESET}
 * @param reason why capture restarted from scratch
 * @param slot the replication slot
 * @param publication the publication
 * @param tables the tables whose earlier changes capture may have missed, {@code schema.table}:
 *     every captured table, except for {@link Reason#TABLES_ADDED}
 * @param at when the listener started streaming from the new position
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CaptureSignal(
        int version,
        String type,
        Reason reason,
        String slot,
        String publication,
        List<String> tables,
        Instant at) {

    public static final int CURRENT_VERSION = 1;
    public static final String CAPTURE_RESET = "CAPTURE_RESET";

    public CaptureSignal {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }

    /** A signal of the current version. */
    public static CaptureSignal captureReset(
            Reason reason, String slot, String publication, List<String> tables, Instant at) {
        return new CaptureSignal(
                CURRENT_VERSION, CAPTURE_RESET, reason, slot, publication, tables, at);
    }

    /** Why changes may have been missed. */
    public enum Reason {
        /** The slot did not exist: changes made before it was created were never decoded. */
        SLOT_CREATED,
        /**
         * PostgreSQL invalidated the slot ({@code wal_status = 'lost'}, {@code
         * max_slot_wal_keep_size}): WAL with unread changes was removed. The slot was recreated.
         */
        SLOT_INVALIDATED,
        /**
         * The slot existed but no position was stored for it (offsets topic deleted, or a crash
         * before the first offset flush, e.g. between slot creation and the first signal): Debezium
         * resumes from the current WAL position, so changes may have been skipped.
         */
        OFFSETS_MISSING,
        /**
         * A position was stored, but the slot no longer holds the WAL from there (its restart LSN
         * moved past it without the offsets topic: restored from a backup, advanced by hand, or
         * stored by an older version): capture resumes from the slot's position.
         */
        OFFSET_UNAVAILABLE,
        /**
         * Tables were added to the publication of an existing slot: their changes are decoded from
         * now on only. {@code tables} lists just those tables.
         */
        TABLES_ADDED
    }
}
