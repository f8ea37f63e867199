package io.refreshorchestrator.executor;

import io.refreshorchestrator.events.RefreshMode;

/**
 * Chooses CONCURRENTLY or a plain (BLOCKING) REFRESH from catalog facts alone, so the choice is
 * testable without a database.
 */
public final class ModePlanner {

    public static final String NOT_POPULATED = "not populated: a plain REFRESH populates it";
    public static final String NO_UNIQUE_INDEX = "no unique index on plain columns without WHERE";

    private ModePlanner() {}

    /**
     * CONCURRENTLY when the view is populated and has a usable unique index, BLOCKING otherwise,
     * with the reason in the plan's detail.
     */
    public static RefreshPlan plan(ViewFacts facts) {
        // PostgreSQL rejects CONCURRENTLY on a never-populated view outright, whatever its indexes.
        if (!facts.populated()) {
            return new RefreshPlan(RefreshMode.BLOCKING, NOT_POPULATED);
        }
        if (facts.indexes().stream().anyMatch(ModePlanner::usableForConcurrently)) {
            return new RefreshPlan(RefreshMode.CONCURRENTLY, null);
        }
        return new RefreshPlan(RefreshMode.BLOCKING, NO_UNIQUE_INDEX);
    }

    /**
     * Mirrors PostgreSQL's own test ({@code is_usable_unique_index} in {@code matview.c}): unique,
     * valid, not deferrable, btree, no predicate and at least one key, all of them plain columns.
     */
    static boolean usableForConcurrently(ViewFacts.Index index) {
        return index.unique()
                && index.valid()
                && index.immediate()
                && index.btree()
                && !index.hasExpressions()
                && !index.hasPredicate()
                && index.keyColumns() > 0;
    }
}
