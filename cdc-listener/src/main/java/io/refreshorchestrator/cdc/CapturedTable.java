package io.refreshorchestrator.cdc;

import java.util.Objects;

/**
 * A source table whose changes are captured, by its exact (case-sensitive) PostgreSQL names.
 *
 * @param schema the schema name, e.g. {@code public}
 * @param table the table name, e.g. {@code plays}
 */
public record CapturedTable(String schema, String table) {

    public CapturedTable {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        if (schema.isEmpty() || table.isEmpty()) {
            throw new IllegalArgumentException("schema and table names must not be empty");
        }
    }

    /**
     * Parses {@code schema.table}: exact names, split at the first dot, no quoting.
     *
     * @throws IllegalArgumentException naming the text when it is not schema-qualified
     */
    public static CapturedTable parse(String qualifiedName) {
        int dot = qualifiedName == null ? -1 : qualifiedName.indexOf('.');
        if (dot <= 0 || dot == qualifiedName.length() - 1) {
            throw new IllegalArgumentException(
                    "not a schema-qualified table name: '"
                            + qualifiedName
                            + "' (expected schema.table, e.g. public.plays)");
        }
        return new CapturedTable(qualifiedName.substring(0, dot), qualifiedName.substring(dot + 1));
    }

    /** {@code schema.table}, as written in the configuration and in Debezium's source block. */
    public String qualifiedName() {
        return schema + "." + table;
    }

    /**
     * An exact-match regular expression for Debezium's {@code table.include.list}: every character
     * that is not a letter, digit or underscore is escaped, commas included (the list separator).
     */
    public String includeListPattern() {
        var pattern = new StringBuilder();
        for (char c : qualifiedName().toCharArray()) {
            if (!Character.isLetterOrDigit(c) && c != '_') {
                pattern.append('\\');
            }
            pattern.append(c);
        }
        return pattern.toString();
    }

    /**
     * The Kafka topic Debezium's default naming strategy gives this table's changes: {@code
     * <prefix>.<schema>.<table>} with characters Kafka does not allow replaced by {@code _}.
     */
    public String changeTopic(String topicPrefix) {
        return sanitizeTopic(topicPrefix + "." + schema + "." + table);
    }

    static String sanitizeTopic(String name) {
        var sanitized = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            boolean legal =
                    (c >= 'a' && c <= 'z')
                            || (c >= 'A' && c <= 'Z')
                            || (c >= '0' && c <= '9')
                            || c == '.'
                            || c == '_'
                            || c == '-';
            sanitized.append(legal ? c : '_');
        }
        return sanitized.toString();
    }

    @Override
    public String toString() {
        return qualifiedName();
    }
}
