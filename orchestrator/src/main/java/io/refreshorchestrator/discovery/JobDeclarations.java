package io.refreshorchestrator.discovery;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the configuration says about jobs: discovery settings, the default policy of a
 * discovered view, and the explicitly configured jobs. {@link JobGraphBuilder} turns it into a
 * {@link JobGraph} with the catalog's facts.
 */
public record JobDeclarations(
        DiscoverySettings discovery, JobPolicy defaults, List<DeclaredJob> declared) {

    public JobDeclarations {
        Objects.requireNonNull(discovery, "discovery");
        Objects.requireNonNull(defaults, "defaults");
        declared = List.copyOf(declared);
    }

    /** The configured job named {@code name}, as configured (before the catalog is read). */
    public Optional<JobSpec> job(String name) {
        return declared.stream()
                .map(DeclaredJob::spec)
                .filter(spec -> spec.name().equals(name))
                .findFirst();
    }
}
