package io.refreshorchestrator.discovery;

import java.util.Objects;

/**
 * A schema-qualified relation name exactly as stored in the catalog (case and quotes preserved,
 * never SQL-quoted here). {@link #toString} gives {@code schema.name}, the form used for job names
 * and in Debezium's {@code source} block.
 */
public record RelationName(String schema, String name) implements Comparable<RelationName> {

    public RelationName {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        if (schema.isEmpty() || name.isEmpty()) {
            throw new IllegalArgumentException("schema and name must not be empty");
        }
    }

    /**
     * Parses {@code schema.name}, splitting at the first dot; a name without a dot is in schema
     * {@code public}.
     */
    public static RelationName parse(String qualified) {
        Objects.requireNonNull(qualified, "qualified");
        int dot = qualified.indexOf('.');
        if (dot < 0) {
            return new RelationName("public", qualified);
        }
        return new RelationName(qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    @Override
    public int compareTo(RelationName other) {
        int bySchema = schema.compareTo(other.schema);
        return bySchema != 0 ? bySchema : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
