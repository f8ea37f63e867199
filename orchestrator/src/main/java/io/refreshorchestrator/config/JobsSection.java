package io.refreshorchestrator.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.refreshorchestrator.discovery.DeclaredJob;
import io.refreshorchestrator.discovery.DiscoverySettings;
import io.refreshorchestrator.discovery.JobPolicy;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.JobKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code defaults}, {@code discovery} and {@code jobs}: the policy of every job, which views
 * the catalog contributes, and the explicitly configured jobs. Views are checked against the
 * catalog at start ({@link io.refreshorchestrator.discovery.JobGraphBuilder}), not here.
 */
final class JobsSection {

    private static final Set<String> POLICY_KEYS =
            union(
                    Set.of("debounce", "max-delay", "timeout", "lock-timeout"),
                    TimingSection.POLICY_KEYS);
    private static final Set<String> JOB_KEYS =
            union(
                    union(union(POLICY_KEYS, Set.of("view", "sources")), ActionSection.JOB_KEYS),
                    TimingSection.JOB_KEYS);
    private static final Set<String> DISCOVERY_KEYS = Set.of("schemas", "include", "exclude");
    private static final Duration MIN_DURATION = Duration.ofMillis(1);

    private JobsSection() {}

    static JobPolicy readDefaults(ConfigReader reader) {
        reader.rejectUnknownKeys("defaults", POLICY_KEYS);
        return policy(reader, "defaults", JobPolicy.DEFAULTS);
    }

    static DiscoverySettings readDiscovery(ConfigReader reader) {
        reader.rejectUnknownKeys("discovery", DISCOVERY_KEYS);
        var schemas = reader.stringList("discovery.schemas");
        var include = patterns(reader, "discovery.include");
        var exclude = patterns(reader, "discovery.exclude");
        if (schemas.isEmpty() && !(include.isEmpty() && exclude.isEmpty())) {
            reader.problem(
                    "discovery.schemas",
                    "list the schemas to discover, e.g. [analytics]: include/exclude only filter"
                            + " them");
        }
        return new DiscoverySettings(schemas, include, exclude);
    }

    private static List<String> patterns(ConfigReader reader, String path) {
        var patterns = reader.stringList(path);
        for (int i = 0; i < patterns.size(); i++) {
            var problem = DiscoverySettings.patternProblem(patterns.get(i));
            if (problem != null) {
                reader.problem(path + "[" + i + "]", problem);
            }
        }
        return patterns;
    }

    static List<DeclaredJob> readJobs(
            ConfigReader reader, JobPolicy defaults, DiscoverySettings discovery) {
        var node = reader.node("jobs");
        if (node.isEmpty()) {
            if (!discovery.enabled()) {
                reader.problem(
                        "jobs",
                        "list at least one job (e.g. - view: analytics.popular_tracks), or set"
                                + " discovery.schemas");
            }
            return List.of();
        }
        if (!node.get().isArray()) {
            reader.problem("jobs", "must be a list of jobs");
            return List.of();
        }
        var jobs = new ArrayList<DeclaredJob>();
        var names = new HashSet<String>();
        for (int i = 0; i < node.get().size(); i++) {
            var path = "jobs[" + i + "]";
            var job = readJob(node.get().get(i), path, reader, defaults);
            if (job != null && !names.add(job.name())) {
                reader.problem(
                        path + (job.kind() == JobKind.REFRESH ? ".view" : ".name"),
                        "'" + job.name() + "' is configured twice");
            } else if (job != null) {
                jobs.add(new DeclaredJob(path, job));
            }
        }
        return jobs;
    }

    private static JobSpec readJob(
            JsonNode element, String path, ConfigReader outer, JobPolicy defaults) {
        // A reader over {"job": element}: its problems start with "job", renamed to the real path.
        var wrapper = JsonNodeFactory.instance.objectNode().set("job", element);
        var reader = new ConfigReader(wrapper, Map.of());
        reader.rejectUnknownKeys("job", JOB_KEYS);
        boolean timeJob = ActionSection.isSqlOrHttp(reader);
        var view = timeJob ? null : relation(reader, "job.view", reader.requiredString("job.view"));
        var sources = new LinkedHashSet<RelationName>();
        var sourceNames = reader.stringList("job.sources");
        for (int i = 0; i < sourceNames.size(); i++) {
            var source = relation(reader, "job.sources[" + i + "]", sourceNames.get(i));
            if (source != null) {
                sources.add(source);
            }
        }
        // A view's sources come from the catalog; sources: adds what it cannot show.
        var schedule = TimingSection.schedule(reader, "job");
        var action =
                timeJob ? ActionSection.sqlOrHttp(reader) : ActionSection.refresh(reader, view);
        var policy = policy(reader, "job", defaults);
        for (var problem : reader.problems()) {
            outer.problem(
                    path + problem.substring("job".length(), problem.indexOf(": ")),
                    problem.substring(problem.indexOf(": ") + 2));
        }
        if (!reader.problems().isEmpty() || action == null) {
            return null;
        }
        String name = timeJob ? reader.requiredString("job.name") : view.toString();
        return new JobSpec(name, action, sources, Set.of(), policy, schedule);
    }

    private static RelationName relation(ConfigReader reader, String path, String text) {
        if (text == null) {
            return null;
        }
        int dot = text.indexOf('.');
        if (dot <= 0 || dot == text.length() - 1) {
            reader.problem(path, "'" + text + "' must be schema.name, e.g. analytics.daily_usage");
            return null;
        }
        return RelationName.parse(text);
    }

    private static JobPolicy policy(ConfigReader reader, String path, JobPolicy base) {
        var debounce = reader.duration(path + ".debounce", base.debounce(), MIN_DURATION);
        var maxDelay = reader.duration(path + ".max-delay", base.maxDelay(), MIN_DURATION);
        var timeout = reader.duration(path + ".timeout", base.timeout(), MIN_DURATION);
        var lockTimeout = reader.duration(path + ".lock-timeout", base.lockTimeout(), MIN_DURATION);
        var timed =
                TimingSection.policy(
                        reader,
                        path,
                        new JobPolicy(debounce, maxDelay, timeout, lockTimeout),
                        base);
        debounce = timed.debounce();
        maxDelay = timed.maxDelay();
        if (maxDelay.compareTo(debounce) < 0) {
            reader.problem(
                    path + ".max-delay",
                    "must be at least the debounce ("
                            + Durations.format(debounce)
                            + "), or the quiet period could never be waited for");
        }
        return timed;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        var all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
