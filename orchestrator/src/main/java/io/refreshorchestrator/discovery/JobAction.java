package io.refreshorchestrator.discovery;

import io.refreshorchestrator.events.JobKind;
import io.refreshorchestrator.events.RefreshMode;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What a job does when it runs: the closed set of job kinds. */
public sealed interface JobAction {

    /** The kind reported in results. */
    JobKind kind();

    /**
     * {@code REFRESH MATERIALIZED VIEW view}.
     *
     * @param mode a forced mode; empty lets the executor choose from the catalog
     */
    record RefreshView(RelationName view, Optional<RefreshMode> mode) implements JobAction {
        public RefreshView {
            Objects.requireNonNull(view, "view");
            Objects.requireNonNull(mode, "mode");
        }

        @Override
        public JobKind kind() {
            return JobKind.REFRESH;
        }
    }

    /** One SQL statement from the configuration, e.g. {@code SELECT rollup_daily_usage()}. */
    record RunSql(String sql) implements JobAction {
        public RunSql {
            Objects.requireNonNull(sql, "sql");
        }

        @Override
        public JobKind kind() {
            return JobKind.SQL;
        }
    }

    /**
     * One HTTP request from the configuration.
     *
     * @param headers header values; may name environment variables for secrets, resolved by the
     *     executor
     */
    record CallHttp(
            String method, URI url, Map<String, String> headers, String body, Duration timeout)
            implements JobAction {
        public CallHttp {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(url, "url");
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            Objects.requireNonNull(timeout, "timeout");
        }

        @Override
        public JobKind kind() {
            return JobKind.HTTP;
        }
    }
}
