package io.refreshorchestrator.executor;

import com.zaxxer.hikari.HikariDataSource;
import io.refreshorchestrator.config.PostgresSettings;
import io.refreshorchestrator.discovery.JobAction;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.RunError;
import io.refreshorchestrator.events.Status;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
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

    private static final long LOCK_POLL_MAX_MILLIS = 1_000;

    private final DataSource dataSource;
    private final ExecutorSettings settings;
    private final Clock clock;
    private final VisibilityGate gate;
    private final RunLedger ledger;
    private final RefreshTransaction transaction;
    private final HttpCall http;
    private final Backoff backoff;
    private final AutoCloseable ownedPool;

    /** Latest SUCCEEDED run per job this runner knows of: a fact that never turns false. */
    private final Map<String, LastRun> known = new ConcurrentHashMap<>();

    /** A runner on {@code dataSource}, which stays the caller's to close. */
    public RefreshRunner(DataSource dataSource, ExecutorSettings settings) {
        this(dataSource, settings, System::getenv, null);
    }

    RefreshRunner(
            DataSource dataSource,
            ExecutorSettings settings,
            Function<String, String> env,
            AutoCloseable ownedPool) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.clock = Clock.systemUTC();
        this.gate = new VisibilityGate(settings.visibilityWait());
        this.ledger = new RunLedger(settings.stateSchema());
        this.transaction = new RefreshTransaction(ledger, clock);
        this.http = new HttpCall(env);
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

    /** Cancels the statement running now, if any (shutdown: the command will be redelivered). */
    public void cancelRunning() {
        transaction.cancelRunning();
    }

    private RefreshResult attempts(JobSpec job, RefreshCommand command) {
        LastRun last = known.get(job.name());
        if (last != null && last.covers(command)) {
            return Results.skipped(command, job.kind(), last.coverDetail(command), clock.instant());
        }
        var context = new RunContext(job, command);
        int transientFailures = 0;
        for (int number = 1; ; number++) {
            Attempt attempt = new Attempt(number);
            Duration delay;
            RunError error;
            try {
                return locked(context, attempt);
            } catch (SQLException e) {
                error = new RunError(e.getSQLState(), e.getMessage());
                boolean outage = SqlFailures.isConnectionLoss(e);
                var kind =
                        outage
                                ? SqlFailures.Kind.TRANSIENT
                                : SqlFailures.classify(e, timeoutElapsed(job, attempt));
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
            LOG.warn(
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

    /** One attempt on one connection: lock, re-check coverage, gate, run, unlock. */
    private RefreshResult locked(RunContext context, Attempt attempt)
            throws SQLException, IOException, InterruptedException {
        JobSpec job = context.job;
        RefreshCommand command = context.command;
        Connection connection = dataSource.getConnection();
        boolean healthy = false;
        try {
            connection.setAutoCommit(true);
            ledger.ensure(connection);
            long pollMillis = 20;
            while (!JobLock.tryLock(connection, job.name())) {
                // Another instance runs this job: when its run covers us, we are done.
                LastRun last = remember(job, ledger.read(connection, job.name()).orElse(null));
                if (last != null && last.covers(command)) {
                    healthy = true;
                    return Results.skipped(
                            command, job.kind(), last.coverDetail(command), clock.instant());
                }
                Thread.sleep(pollMillis);
                pollMillis = Math.min(pollMillis * 2, LOCK_POLL_MAX_MILLIS);
            }
            try {
                LastRun last = remember(job, ledger.read(connection, job.name()).orElse(null));
                if (last != null && last.covers(command)) {
                    return Results.skipped(
                            command, job.kind(), last.coverDetail(command), clock.instant());
                }
                if (!context.gatePassed) {
                    context.gateDetail = gate.await(connection, job.name(), context.txId);
                    context.gatePassed = true;
                }
                return execute(connection, context, attempt);
            } finally {
                healthy = JobLock.unlock(connection, job.name());
            }
        } finally {
            release(connection, healthy);
        }
    }

    private RefreshResult execute(Connection connection, RunContext context, Attempt attempt)
            throws SQLException, IOException, InterruptedException {
        JobSpec job = context.job;
        if (job.action() instanceof JobAction.CallHttp call) {
            LastRun run = ledger.begin(connection, context.command.id());
            attempt.startedAt = clock.instant();
            int status = http.send(call);
            try {
                ledger.record(connection, job.name(), run);
            } catch (SQLException e) {
                // The call was made: reporting a failure would make it run again.
                LOG.warn("job {}: could not record the run: {}", job.name(), e.toString());
            }
            remember(job, run);
            return context.result(attempt, Status.SUCCEEDED, null, "HTTP " + status);
        }
        LastRun run = transaction.run(connection, job, context.command.id(), attempt);
        remember(job, run);
        return context.result(attempt, Status.SUCCEEDED, null);
    }

    private LastRun remember(JobSpec job, LastRun run) {
        if (run == null) {
            return known.get(job.name());
        }
        return known.merge(job.name(), run, LastRun::latest);
    }

    /**
     * Back to the pool, or out of it when the session may still hold an advisory lock: a session
     * lock must never be lent to the next run.
     */
    private void release(Connection connection, boolean healthy) {
        if (!healthy && dataSource instanceof HikariDataSource pool) {
            pool.evictConnection(connection);
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("could not return a connection: {}", e.toString());
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

    /** What stays the same across the attempts of one command. */
    private final class RunContext {
        final JobSpec job;
        final RefreshCommand command;
        final Long txId;
        boolean gatePassed;
        String gateDetail;

        RunContext(JobSpec job, RefreshCommand command) {
            this.job = job;
            this.command = command;
            this.txId = command.changes() == null ? null : command.changes().lastTxId();
            this.gatePassed =
                    txId == null || job.kind() != io.refreshorchestrator.events.JobKind.REFRESH;
        }

        RefreshResult result(Attempt attempt, Status status, RunError error, String... details) {
            String[] all = new String[details.length + 1];
            all[0] = gateDetail;
            System.arraycopy(details, 0, all, 1, details.length);
            return Results.ofRun(command, job.kind(), attempt, status, clock.instant(), error, all);
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
