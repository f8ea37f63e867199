package io.refreshorchestrator.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The source-table changes folded into one refresh command, taken from the Debezium {@code source}
 * blocks, so the executor can check their visibility and report freshness lag.
 *
 * @param count number of change events folded in
 * @param tables the changed tables, {@code schema.table}
 * @param firstChangeAt commit time of the earliest change
 * @param lastChangeAt commit time of the latest change
 * @param lastTxId PostgreSQL transaction id of the latest change (32-bit xid as Debezium reports
 *     it)
 * @param lastLsn WAL position of the latest change
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChangeSummary(
        long count,
        List<String> tables,
        Instant firstChangeAt,
        Instant lastChangeAt,
        Long lastTxId,
        Long lastLsn) {

    public ChangeSummary {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }

    /** No changes: a manual, scheduled or startup command. */
    public static ChangeSummary none() {
        return new ChangeSummary(0, List.of(), null, null, null, null);
    }
}
