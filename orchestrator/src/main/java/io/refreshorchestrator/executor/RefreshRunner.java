package io.refreshorchestrator.executor;

import com.zaxxer.hikari.HikariDataSource;
import io.refreshorchestrator.config.PostgresSettings;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.RunError;
import io.refreshorchestrator.events.Status;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one refresh command for one job against PostgreSQL and says how it ended: waits for the
 * triggering transaction to be visible, refreshes in a transaction of its own, retries transient
 * failures with backoff. Every outcome is a {@link RefreshResult}; it never throws.
 */
public final class RefreshRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshRunner.class);

    private final ExecutorSettings settings;
    private final Clock clock;
    private final VisibilityGate gate;
    private final RefreshTransaction transaction;
    private final Backoff backoff;
    private final AutoCloseable ownedPool;

    /** A runner on {@code dataSource}, which stays the caller's to close. */
    public RefreshRunner(DataSource dataSource, ExecutorSettings settings) {
        this(dataSource, settings, Clock.systemUTC(), null);
    }

    private RefreshRunner(
            DataSource dataSource,
            ExecutorSettings settings,
            Clock clock,
            AutoCloseable ownedPool) {
        this.settings = settings;
        this.clock = clock;
        this.gate = new VisibilityGate(dataSource, settings.visibilityWait());
        this.transaction = new RefreshTransaction(dataSource, clock);
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), new Random());
        this.ownedPool = ownedPool;
    }

    /** A runner with a connection pool of its own, closed with the runner. */
    public static RefreshRunner create(PostgresSettings postgres, ExecutorSettings settings) {
        HikariDataSource pool = ExecutorDataSource.create(postgres, settings);
        return new RefreshRunner(pool, settings, Clock.systemUTC(), pool);
    }

    /**
     * Runs {@code command} (its defaults already filled) for {@code job}. Logs one INFO line. When
     * the calling thread is interrupted, stops retrying and reports FAILED.
     */
    public RefreshResult run(JobSpec job, RefreshCommand command) {
        RefreshResult result = attempts(job, command);
        LOG.info(
                "refresh job={} status={} mode={} attempts={} durationMs={} lagMs={}{}",
                result.job(),
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
        Long txId = command.changes() == null ? null : command.changes().lastTxId();
        boolean gatePassed = txId == null;
        String gateDetail = null;
        for (int number = 1; ; number++) {
            Attempt attempt = new Attempt(number);
            try {
                if (!gatePassed) {
                    gateDetail = gate.await(job.name(), txId);
                    gatePassed = true;
                }
                transaction.run(job, attempt);
                return Results.ofRun(
                        command, attempt, Status.SUCCEEDED, clock.instant(), null, gateDetail);
            } catch (SQLException e) {
                var kind = SqlFailures.classify(e, timeoutElapsed(job, attempt));
                RunError error = new RunError(e.getSQLState(), e.getMessage());
                if (kind == SqlFailures.Kind.TIMED_OUT) {
                    return Results.ofRun(
                            command, attempt, Status.TIMED_OUT, clock.instant(), error, gateDetail);
                }
                if (kind == SqlFailures.Kind.PERMANENT || number >= settings.maxAttempts()) {
                    return Results.ofRun(
                            command, attempt, Status.FAILED, clock.instant(), error, gateDetail);
                }
                Duration delay = backoff.delayBefore(number);
                LOG.warn(
                        "job {}: attempt {}/{} failed ({} {}); retrying in {} ms",
                        job.name(),
                        number,
                        settings.maxAttempts(),
                        e.getSQLState(),
                        e.getMessage(),
                        delay.toMillis());
                if (!sleep(delay)) {
                    return Results.ofRun(
                            command, attempt, Status.FAILED, clock.instant(), error, "interrupted");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Results.ofRun(
                        command,
                        attempt,
                        Status.FAILED,
                        clock.instant(),
                        new RunError(null, "interrupted while waiting for visibility"),
                        gateDetail);
            } catch (RuntimeException e) {
                // A bug must not stop the executor: report it like any failure.
                LOG.error("job {}: unexpected failure", job.name(), e);
                return Results.ofRun(
                        command,
                        attempt,
                        Status.FAILED,
                        clock.instant(),
                        new RunError(null, e.toString()),
                        gateDetail);
            }
        }
    }

    private boolean timeoutElapsed(JobSpec job, Attempt attempt) {
        return attempt.startedAt != null
                && Duration.between(attempt.startedAt, clock.instant())
                                .compareTo(job.policy().timeout())
                        >= 0;
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
