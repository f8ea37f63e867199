package io.refreshorchestrator.executor;

import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.RefreshMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The refresh mode the executor would choose for a view now, and why, for {@code plan}: the same
 * catalog facts and the same {@link ModePlanner} as a real run.
 */
public final class PlannedModes {

    /** A mode and the reason for it, in words. */
    public record ModeChoice(RefreshMode mode, String why) {}

    private PlannedModes() {}

    /** Empty when no materialized view has exactly this schema and name. */
    public static Optional<ModeChoice> choose(Connection connection, RelationName view)
            throws SQLException {
        return choose(connection, view, null);
    }

    /**
     * Like {@link #choose(Connection, RelationName)} for a job whose configuration forces {@code
     * forced} (null: none), by the same rule as a run: a never-populated view is populated by a
     * plain REFRESH whatever the configuration says.
     */
    public static Optional<ModeChoice> choose(
            Connection connection, RelationName view, RefreshMode forced) throws SQLException {
        return ViewCatalog.lookup(connection, view).map(facts -> choose(facts, forced));
    }

    static ModeChoice choose(ViewFacts facts) {
        return choose(facts, null);
    }

    static ModeChoice choose(ViewFacts facts, RefreshMode forced) {
        RefreshPlan plan = RefreshTransaction.plan(facts, forced);
        if (forced != null && facts.populated()) {
            return new ModeChoice(plan.mode(), "forced by the configuration");
        }
        if (!plan.concurrently()) {
            return new ModeChoice(plan.mode(), plan.detail());
        }
        String index =
                facts.indexes().stream()
                        .filter(ModePlanner::usableForConcurrently)
                        .map(ViewFacts.Index::name)
                        .findFirst()
                        .orElse("?");
        return new ModeChoice(
                plan.mode(), "populated, unique index " + index + " on plain columns");
    }
}
