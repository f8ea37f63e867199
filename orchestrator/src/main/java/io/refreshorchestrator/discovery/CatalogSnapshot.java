package io.refreshorchestrator.discovery;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The part of the PostgreSQL catalog discovery needs, read once: the relations, what each view's
 * and materialized view's query references ({@code pg_rewrite}/{@code pg_depend}), and which tables
 * are partitions of which. Pure data, so the graph building is testable without a database.
 *
 * @param references relation oid → oids of the relations its rewrite rule references
 * @param functions relation oid → user-defined functions its rewrite rule calls ({@code
 *     regprocedure} text)
 * @param partitionParents partition oid → the oid of the table it is a partition of
 */
public record CatalogSnapshot(
        Map<Long, Relation> relations,
        Map<Long, Set<Long>> references,
        Map<Long, Set<String>> functions,
        Map<Long, Long> partitionParents) {

    /** The kinds of relation ({@code pg_class.relkind}) discovery distinguishes. */
    public enum Kind {
        TABLE,
        PARTITIONED_TABLE,
        VIEW,
        MATERIALIZED_VIEW,
        FOREIGN_TABLE;

        /** The kind of a {@code relkind}, empty for indexes, sequences and the like. */
        public static Optional<Kind> of(String relkind) {
            return Optional.ofNullable(
                    switch (relkind) {
                        case "r" -> TABLE;
                        case "p" -> PARTITIONED_TABLE;
                        case "v" -> VIEW;
                        case "m" -> MATERIALIZED_VIEW;
                        case "f" -> FOREIGN_TABLE;
                        default -> null;
                    });
        }

        String describe() {
            return switch (this) {
                case TABLE -> "a table";
                case PARTITIONED_TABLE -> "a partitioned table";
                case VIEW -> "a view";
                case MATERIALIZED_VIEW -> "a materialized view";
                case FOREIGN_TABLE -> "a foreign table";
            };
        }
    }

    /** One relation by its exact catalog names. */
    public record Relation(long oid, RelationName name, Kind kind) {}

    public CatalogSnapshot {
        relations = Map.copyOf(relations);
        references = Map.copyOf(references);
        functions = Map.copyOf(functions);
        partitionParents = Map.copyOf(partitionParents);
    }

    /** An index by name, built on demand. */
    public Map<RelationName, Relation> byName() {
        Map<RelationName, Relation> byName = new HashMap<>();
        relations.values().forEach(relation -> byName.put(relation.name(), relation));
        return byName;
    }

    public Collection<Relation> all() {
        return relations.values();
    }

    public Set<Long> referencesOf(long oid) {
        return references.getOrDefault(oid, Set.of());
    }

    public Set<String> functionsOf(long oid) {
        return functions.getOrDefault(oid, Set.of());
    }

    /**
     * The top of {@code relation}'s partition tree: the name under which Debezium reports its
     * changes ({@code publish_via_partition_root}); the relation itself when it is no partition.
     */
    public Relation partitionRoot(Relation relation) {
        Relation current = Objects.requireNonNull(relation);
        for (int depth = 0; depth < 1000; depth++) {
            Long parent = partitionParents.get(current.oid());
            Relation next = parent == null ? null : relations.get(parent);
            if (next == null) {
                return current;
            }
            current = next;
        }
        return current;
    }
}
