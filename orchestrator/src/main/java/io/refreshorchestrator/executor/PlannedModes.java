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
        return ViewCatalog.lookup(connection, view).map(PlannedModes::choose);
    }

    static ModeChoice choose(ViewFacts facts) {
        RefreshPlan plan = ModePlanner.plan(facts);
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
