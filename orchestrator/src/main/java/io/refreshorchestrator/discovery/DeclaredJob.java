package io.refreshorchestrator.discovery;

import java.util.Objects;

/**
 * A job as the configuration states it, before the catalog is read.
 *
 * @param path where it is configured, e.g. {@code jobs[3]}, for error messages
 * @param spec the job; for a view, its {@code sources} are the extra tables the configuration adds
 *     (read through functions, which the catalog cannot show) and its upstream jobs are empty:
 *     discovery fills both from the catalog
 */
public record DeclaredJob(String path, JobSpec spec) {

    public DeclaredJob {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(spec, "spec");
    }
}
