package io.refreshorchestrator.executor;

import com.zaxxer.hikari.HikariDataSource;
import io.refreshorchestrator.config.PostgresSettings;
import io.refreshorchestrator.discovery.JobAction;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.RunError;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.logging.Outage;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one command for one job and says how it ended. Skips it when a SUCCEEDED run already covers
 * it; otherwise takes the job's advisory lock (waiting for a run under way elsewhere, then skipping
 * when that run covered it: coalesced, not queued), waits for the triggering transaction to be
 * visible, runs the job, and retries transient failures with backoff. A database outage is retried
 * until the database is back. Every outcome is a {@link RefreshResult}; it never throws.
 */
public final class RefreshRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshRunner.class);

    /** Retries during an outage are not capped in number, only their delay is. */
    static final Duration OUTAGE_MAX_DELAY = Duration.ofSeconds(5);

    private final ExecutorSettings settings;
    private final Clock clock;
    private final LockedRun lockedRun;
    private final Backoff backoff;
    private final AutoCloseable ownedPool;
    private volatile boolean cancelled;

    /** Reports a database outage once, not once per attempt of every job waiting for it. */
    private final Outage database = new Outage(LOG, "PostgreSQL (executor)");

    /** A runner on {@code dataSource}, which stays the caller's to close. */
    public RefreshRunner(DataSource dataSource, ExecutorSettings settings) {
        this(dataSource, settings, System::getenv, null);
    }

    RefreshRunner(
            DataSource dataSource,
            ExecutorSettings settings,
            Function<String, String> env,
            AutoCloseable ownedPool) {
        this.settings = settings;
        this.clock = Clock.systemUTC();
        this.lockedRun =
                new LockedRun(
                        dataSource,
                        new RunLedger(settings.stateSchema()),
                        new VisibilityGate(settings.visibilityWait()),
                        new HttpCall(env),
                        clock);
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), new Random());
        this.ownedPool = ownedPool;
    }

    /** A runner with a connection pool of its own, closed with the runner. */
    public static RefreshRunner create(PostgresSettings postgres, ExecutorSettings settings) {
        return create(postgres, settings, System::getenv);
    }

    static RefreshRunner create(
            PostgresSettings postgres, ExecutorSettings settings, Function<String, String> env) {
        HikariDataSource pool = ExecutorDataSource.create(postgres, settings);
        return new RefreshRunner(pool, settings, env, pool);
    }

    /**
     * Runs {@code command} (its defaults already filled) for {@code job}. Logs one INFO line. When
     * the calling thread is interrupted, stops retrying and reports FAILED.
     */
    public RefreshResult run(JobSpec job, RefreshCommand command) {
        RefreshResult result = attempts(job, command);
        if (result.status() == Status.SKIPPED) {
            // Not a run: a backlog of a thousand covered commands is not a thousand log lines.
            LOG.debug("run job={} status=SKIPPED {}", result.job(), result.detail());
            return result;
        }
        LOG.info(
                "run job={} kind={} status={} mode={} attempts={} durationMs={} lagMs={}{}",
                result.job(),
                result.kind(),
                result.status(),
                result.mode(),
                result.attempts(),
                result.durationMs(),
                result.freshnessLagMs(),
                result.error() == null
                        ? ""
                        : " error=" + result.error().sqlState() + " " + result.error().message());
        return result;
    }

    /**
     * Cancels the statements running now (shutdown: each run reports FAILED with {@link
     * #CANCELLED_DETAIL}, and its command is redelivered); no run starts or retries after.
     */
    public void cancelRunning() {
        cancelled = true;
        lockedRun.cancelRunning();
    }

    /** Whether {@link #cancelRunning} was called: results from now on are of cancelled runs. */
    public boolean cancelledForShutdown() {
        return cancelled;
    }

    /** {@code detail} of a run cancelled because the executor shut down. */
    public static final String CANCELLED_DETAIL =
            "cancelled: the executor shut down (shutdown-timeout passed); the command runs again";

    private RefreshResult attempts(JobSpec job, RefreshCommand command) {
        LastRun cover = lockedRun.knownCover(job, command);
        if (cover != null) {
            return Results.covered(command, job.kind(), cover, clock.instant());
        }
        var context = new RunContext(job, command, clock);
        int transientFailures = 0;
        for (int number = 1; ; number++) {
            Attempt attempt = new Attempt(number);
            Duration delay;
            RunError error;
            boolean outage = false;
            long attemptStarted = System.nanoTime();
            try {
                var result = lockedRun.run(context, attempt);
                database.recovered();
                return result;
            } catch (SQLException e) {
                error = new RunError(e.getSQLState(), e.getMessage());
                outage = SqlFailures.isConnectionLoss(e);
                var kind =
                        outage
                                ? SqlFailures.Kind.TRANSIENT
                                : SqlFailures.classify(e, timeoutElapsed(job, attempt));
                if (cancelled) {
                    return context.result(attempt, Status.FAILED, error, CANCELLED_DETAIL);
                }
                if (kind == SqlFailures.Kind.TIMED_OUT) {
                    return context.result(attempt, Status.TIMED_OUT, error);
                }
                if (kind == SqlFailures.Kind.PERMANENT) {
                    return context.result(
                            attempt,
                            Status.FAILED,
                            error,
                            SqlFailures.isDuplicateRows(e) && attempt.plan != null
                                    ? "duplicate rows: CONCURRENTLY cannot apply this view's new"
                                            + " data; fix the query or its unique index"
                                    : null);
                }
                if (!outage && ++transientFailures >= settings.maxAttempts()) {
                    return context.result(attempt, Status.FAILED, error);
                }
                delay =
                        outage
                                ? min(backoff.delayBefore(number), OUTAGE_MAX_DELAY)
                                : backoff.delayBefore(transientFailures);
            } catch (HttpTimeoutException e) {
                return context.result(
                        attempt,
                        Status.TIMED_OUT,
                        new RunError(null, "no response within " + httpTimeout(job)));
            } catch (HttpCall.StatusException e) {
                error = new RunError(null, e.getMessage());
                if (!e.retryable() || ++transientFailures >= settings.maxAttempts()) {
                    return context.result(attempt, Status.FAILED, error, e.getMessage());
                }
                delay = backoff.delayBefore(transientFailures);
            } catch (IOException e) {
                error = new RunError(null, e.toString());
                if (++transientFailures >= settings.maxAttempts()) {
                    return context.result(attempt, Status.FAILED, error);
                }
                delay = backoff.delayBefore(transientFailures);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return context.result(
                        attempt, Status.FAILED, new RunError(null, "interrupted"), "interrupted");
            } catch (RuntimeException e) {
                // A bug or a bad configuration must not stop the executor: report it.
                LOG.error("job {}: unexpected failure", job.name(), e);
                return context.result(attempt, Status.FAILED, new RunError(null, e.toString()));
            }
            if (outage) {
                database.failed(error.message(), attemptStarted);
            }
            LOG.atLevel(outage ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.WARN)
                    .log(
                            "job {}: attempt {} failed ({} {}); retrying in {} ms",
                            job.name(),
                            number,
                            error.sqlState(),
                            error.message(),
                            delay.toMillis());
            if (!sleep(delay)) {
                return context.result(attempt, Status.FAILED, error, "interrupted");
            }
        }
    }

    private boolean timeoutElapsed(JobSpec job, Attempt attempt) {
        return attempt.startedAt != null
                && Duration.between(attempt.startedAt, clock.instant())
                                .compareTo(job.policy().timeout())
                        >= 0;
    }

    private static String httpTimeout(JobSpec job) {
        return job.action() instanceof JobAction.CallHttp call
                ? call.timeout().toMillis() + " ms"
                : "the timeout";
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static boolean sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
            return !Thread.currentThread().isInterrupted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (ownedPool != null) {
            try {
                ownedPool.close();
            } catch (Exception e) {
                LOG.warn("could not close the connection pool: {}", e.getMessage());
            }
        }
    }
}
