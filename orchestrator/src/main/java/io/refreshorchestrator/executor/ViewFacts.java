package io.refreshorchestrator.executor;

import io.refreshorchestrator.discovery.RelationName;
import java.util.List;
import java.util.Objects;

/**
 * What the catalog says about one materialized view, as far as choosing a refresh mode needs.
 *
 * @param view the view's schema and name as stored in the catalog
 * @param populated {@code pg_class.relispopulated}: false until a first plain REFRESH
 * @param indexes every index on the view
 */
public record ViewFacts(RelationName view, boolean populated, List<Index> indexes) {

    public ViewFacts {
        Objects.requireNonNull(view, "view");
        indexes = List.copyOf(indexes);
    }

    /**
     * One index on the view, from {@code pg_index} and its access method.
     *
     * @param hasExpressions {@code indexprs IS NOT NULL}: some key is an expression
     * @param hasPredicate {@code indpred IS NOT NULL}: a partial index (WHERE)
     * @param keyColumns {@code indnatts}
     */
    public record Index(
            String name,
            boolean unique,
            boolean valid,
            boolean immediate,
            boolean btree,
            boolean hasExpressions,
            boolean hasPredicate,
            int keyColumns) {}
}
