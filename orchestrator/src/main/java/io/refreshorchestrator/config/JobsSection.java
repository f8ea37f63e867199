package io.refreshorchestrator.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.refreshorchestrator.discovery.JobAction;
import io.refreshorchestrator.discovery.JobPolicy;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.JobKind;
import io.refreshorchestrator.events.RefreshMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads {@code defaults} and {@code jobs}: the policy of every job and the jobs themselves. */
final class JobsSection {

    private static final Set<String> POLICY_KEYS =
            union(
                    Set.of("debounce", "max-delay", "timeout", "lock-timeout"),
                    TimingSection.POLICY_KEYS);
    private static final Set<String> JOB_KEYS =
            union(
                    union(POLICY_KEYS, Set.of("view", "sources", "mode", "name", "sql", "http")),
                    TimingSection.JOB_KEYS);
    private static final Set<String> HTTP_KEYS =
            Set.of("method", "url", "headers", "body", "timeout");
    private static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MIN_DURATION = Duration.ofMillis(1);

    private JobsSection() {}

    static JobPolicy readDefaults(ConfigReader reader) {
        reader.rejectUnknownKeys("defaults", POLICY_KEYS);
        return policy(reader, "defaults", JobPolicy.DEFAULTS);
    }

    static List<JobSpec> readJobs(ConfigReader reader, JobPolicy defaults) {
        var node = reader.node("jobs");
        if (node.isEmpty()) {
            reader.problem("jobs", "list at least one job, e.g. - view: analytics.popular_tracks");
            return List.of();
        }
        if (!node.get().isArray()) {
            reader.problem("jobs", "must be a list of jobs");
            return List.of();
        }
        var jobs = new ArrayList<JobSpec>();
        var names = new HashSet<String>();
        for (int i = 0; i < node.get().size(); i++) {
            var path = "jobs[" + i + "]";
            var job = readJob(node.get().get(i), path, reader, defaults);
            if (job != null && !names.add(job.name())) {
                reader.problem(
                        path + (job.kind() == JobKind.REFRESH ? ".view" : ".name"),
                        "'" + job.name() + "' is configured twice");
            } else if (job != null) {
                jobs.add(job);
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
        boolean timeJob = reader.isSet("job.sql") || reader.isSet("job.http");
        var view = timeJob ? null : relation(reader, "job.view", reader.requiredString("job.view"));
        var sources = new LinkedHashSet<RelationName>();
        var sourceNames = reader.stringList("job.sources");
        for (int i = 0; i < sourceNames.size(); i++) {
            var source = relation(reader, "job.sources[" + i + "]", sourceNames.get(i));
            if (source != null) {
                sources.add(source);
            }
        }
        var schedule = TimingSection.schedule(reader, "job");
        if (sourceNames.isEmpty() && !timeJob && !reader.isSet("job.schedule")) {
            reader.problem(
                    "job.sources",
                    "list the tables the view reads, e.g. [public.plays], or give it a schedule");
        }
        var action = timeJob ? timeAction(reader) : viewAction(reader, view);
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

    /** A view's refresh, with an optional forced {@code mode: concurrently | blocking}. */
    private static JobAction viewAction(ConfigReader reader, RelationName view) {
        var mode = reader.string("job.mode").map(text -> text.toUpperCase(Locale.ROOT));
        if (mode.isPresent()
                && !mode.get().equals("CONCURRENTLY")
                && !mode.get().equals("BLOCKING")) {
            reader.problem("job.mode", "must be concurrently or blocking");
            return null;
        }
        if (reader.isSet("job.name") && view != null) {
            reader.problem("job.name", "a view job is named after its view; drop name");
        }
        return view == null
                ? null
                : new JobAction.RefreshView(view, mode.map(RefreshMode::valueOf));
    }

    /** A SQL job ({@code sql}) or an HTTP job ({@code http}), named by {@code name}. */
    private static JobAction timeAction(ConfigReader reader) {
        var name = reader.requiredString("job.name");
        if (name != null && name.isBlank()) {
            reader.problem("job.name", "must not be blank");
        }
        for (var key : List.of("view", "mode")) {
            if (reader.isSet("job." + key)) {
                reader.problem("job." + key, "only for a view job, not with sql or http");
            }
        }
        if (reader.isSet("job.sql") && reader.isSet("job.http")) {
            reader.problem("job.sql", "a job runs either sql or http, not both");
            return null;
        }
        if (reader.isSet("job.sql")) {
            var sql = reader.string("job.sql");
            if (sql.isEmpty() || sql.get().isBlank()) {
                reader.problem("job.sql", "must be one SQL statement, e.g. SELECT rollup()");
                return null;
            }
            return new JobAction.RunSql(sql.get());
        }
        reader.rejectUnknownKeys("job.http", HTTP_KEYS);
        var method = reader.string("job.http.method", "POST").toUpperCase(Locale.ROOT);
        var url = reader.requiredString("job.http.url");
        URI uri = null;
        if (url != null) {
            try {
                uri = new URI(url);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                    reader.problem("job.http.url", "must be an http:// or https:// URL");
                }
            } catch (URISyntaxException e) {
                reader.problem("job.http.url", "is not a URL: " + e.getMessage());
            }
        }
        var headers = reader.stringMap("job.http.headers");
        var body = reader.string("job.http.body").orElse(null);
        var timeout = reader.duration("job.http.timeout", DEFAULT_HTTP_TIMEOUT, MIN_DURATION);
        return uri == null ? null : new JobAction.CallHttp(method, uri, headers, body, timeout);
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
