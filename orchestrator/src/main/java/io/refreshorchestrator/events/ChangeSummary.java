package io.refreshorchestrator.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * @param upstreamTxIds for changes that are upstream views' refreshes (a cascade): upstream view
 *     ({@code schema.view}) → transaction id ({@code xid8}) of the latest refresh of it folded in.
 *     A run of this job covers the command only if it saw every one of them: the upstream view held
 *     the change only once its refresh committed. Empty for source-table changes and in commands of
 *     producers that predate the field (then the commit time alone is compared).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChangeSummary(
        long count,
        List<String> tables,
        Instant firstChangeAt,
        Instant lastChangeAt,
        Long lastTxId,
        Long lastLsn,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> upstreamTxIds) {

    public ChangeSummary {
        tables = tables == null ? List.of() : List.copyOf(tables);
        upstreamTxIds = upstreamTxIds == null ? Map.of() : copyWithoutNulls(upstreamTxIds);
    }

    /** Changes to source tables only: no upstream refresh to wait for. */
    public ChangeSummary(
            long count,
            List<String> tables,
            Instant firstChangeAt,
            Instant lastChangeAt,
            Long lastTxId,
            Long lastLsn) {
        this(count, tables, firstChangeAt, lastChangeAt, lastTxId, lastLsn, Map.of());
    }

    /** No changes: a manual, scheduled or startup command. */
    public static ChangeSummary none() {
        return new ChangeSummary(0, List.of(), null, null, null, null, Map.of());
    }

    /** A command's JSON may hold {@code "view": null}: nothing to wait for, so left out. */
    private static Map<String, Long> copyWithoutNulls(Map<String, Long> ids) {
        var copy = new TreeMap<String, Long>();
        ids.forEach(
                (view, txId) -> {
                    if (view != null && txId != null) {
                        copy.put(view, txId);
                    }
                });
        return Collections.unmodifiableMap(copy); // sorted: the same JSON for the same ids
    }
}
