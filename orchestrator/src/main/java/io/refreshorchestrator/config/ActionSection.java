package io.refreshorchestrator.config;

import io.refreshorchestrator.discovery.JobAction;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.RefreshMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads what a configured job does (its {@link JobAction}): a view's refresh with an optional
 * forced {@code mode}, a {@code sql} job or an {@code http} job, both named by {@code name}. Works
 * on a reader whose job element sits at {@code job}.
 */
final class ActionSection {

    /** The keys of a job element this section reads. */
    static final Set<String> JOB_KEYS = Set.of("mode", "name", "sql", "http");

    private static final Set<String> HTTP_KEYS =
            Set.of("method", "url", "headers", "body", "timeout");
    private static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MIN_DURATION = Duration.ofMillis(1);

    private ActionSection() {}

    /** Whether the job is a SQL or HTTP job rather than a view's refresh. */
    static boolean isSqlOrHttp(ConfigReader reader) {
        return reader.isSet("job.sql") || reader.isSet("job.http");
    }

    /** A view's refresh, with an optional forced {@code mode: concurrently | blocking}. */
    static JobAction refresh(ConfigReader reader, RelationName view) {
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
    static JobAction sqlOrHttp(ConfigReader reader) {
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
}
