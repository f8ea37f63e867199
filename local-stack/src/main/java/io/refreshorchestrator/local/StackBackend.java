package io.refreshorchestrator.local;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where a {@link LocalStack} runs its services, chosen by the system property {@value #PROPERTY}
 * ({@code mvn verify -Dstack=containers}): on this machine ({@link #LOCAL}, the default: PostgreSQL
 * from the local binaries, Kafka from Maven artifacts) or in Docker through Testcontainers ({@link
 * #CONTAINERS}: {@code postgres:15} and {@code apache/kafka:4.3.1}).
 */
public enum StackBackend {
    LOCAL,
    CONTAINERS;

    /** The system property that selects the backend. */
    public static final String PROPERTY = "stack";

    /** The backend the system property {@value #PROPERTY} names; {@link #LOCAL} when unset. */
    public static StackBackend selected() {
        return parse(System.getProperty(PROPERTY));
    }

    /**
     * The backend {@code value} names, case-insensitively; {@link #LOCAL} for null or blank.
     *
     * @throws IllegalArgumentException for any other value, listing the valid ones
     */
    public static StackBackend parse(String value) {
        if (value == null || value.isBlank()) {
            return LOCAL;
        }
        for (var backend : values()) {
            if (backend.propertyValue().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return backend;
            }
        }
        throw new IllegalArgumentException(
                "-D"
                        + PROPERTY
                        + "="
                        + value
                        + " names no test stack backend; use one of: "
                        + Arrays.stream(values())
                                .map(StackBackend::propertyValue)
                                .collect(Collectors.joining(", "))
                        + " (default local)");
    }

    /** How the system property names this backend: {@code local}, {@code containers}. */
    public String propertyValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
