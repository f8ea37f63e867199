package io.refreshorchestrator.api;

import io.refreshorchestrator.app.JobGraphLoader;
import io.refreshorchestrator.config.ConfigException;
import io.refreshorchestrator.config.OrchestratorConfig;
import io.refreshorchestrator.config.OrchestratorConfigLoader;
import io.refreshorchestrator.discovery.DiscoveryException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a job name is a job of the configuration, as {@code run} would see it: listed under
 * {@code jobs:} (known from the file alone, no database needed) or found by discovery (known only
 * from the catalog, so the database and its password are needed then).
 */
final class JobLookup {

    private JobLookup() {}

    /**
     * The check of the commands that take a job and an optional configuration ({@code trigger},
     * {@code pause}, {@code resume}): nothing to check without a configuration; in local mode a job
     * that only discovery could find is left to the running process's job list ({@link
     * KafkaTarget#requireLocalJob}) rather than to the catalog.
     */
    static void requireConfigured(
            String job,
            Path file,
            Optional<OrchestratorConfig> withoutPassword,
            Map<String, String> env)
            throws CommandFailure {
        if (withoutPassword.isEmpty()) {
            return;
        }
        var config = withoutPassword.get();
        boolean localDiscovery =
                config.kafka().isEmpty()
                        && config.jobs().discovery().enabled()
                        && config.jobs().job(job).isEmpty();
        if (!localDiscovery) {
            require(job, file, config, env);
        }
    }

    /**
     * @param withoutPassword the configuration read without the database password
     * @throws CommandFailure exit code 2 when the job is not a job of this configuration (or the
     *     configuration is invalid once the password is read), 1 when only the catalog could tell
     *     and the database cannot be read
     */
    static void require(
            String job, Path file, OrchestratorConfig withoutPassword, Map<String, String> env)
            throws CommandFailure {
        if (withoutPassword.jobs().job(job).isPresent()) {
            return;
        }
        var discovery = withoutPassword.jobs().discovery();
        if (!discovery.enabled()) {
            throw new CommandFailure(
                    2,
                    "no job '"
                            + job
                            + "' in "
                            + file
                            + ": it is not listed under jobs:, and discovery.schemas is not set");
        }
        String needsCatalog =
                "job '"
                        + job
                        + "' is not listed under jobs: in "
                        + file
                        + ", so only the catalog can tell whether discovery (schemas "
                        + discovery.schemas()
                        + ") finds it";
        String instead = " (a job listed under jobs: needs no database here)";
        OrchestratorConfig settings;
        try {
            settings = OrchestratorConfigLoader.load(file, env);
        } catch (ConfigException e) {
            throw new CommandFailure(
                    2,
                    needsCatalog
                            + ", which needs the database password"
                            + instead
                            + ": "
                            + e.getMessage());
        }
        final io.refreshorchestrator.discovery.JobGraph graph;
        try {
            graph = JobGraphLoader.load(settings.postgres(), settings.jobs()).graph();
        } catch (DiscoveryException e) {
            throw new CommandFailure(2, e.getMessage());
        } catch (IllegalStateException e) {
            throw new CommandFailure(1, needsCatalog + ", but " + e.getMessage() + instead);
        }
        if (graph.job(job).isEmpty()) {
            throw new CommandFailure(
                    2,
                    "no job '"
                            + job
                            + "': it is not listed under jobs: in "
                            + file
                            + ", and discovery (schemas "
                            + discovery.schemas()
                            + ") does not find it among the "
                            + graph.jobs().size()
                            + " job(s) of the catalog");
        }
    }
}
