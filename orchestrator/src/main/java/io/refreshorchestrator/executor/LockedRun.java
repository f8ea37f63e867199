package io.refreshorchestrator.executor;

import com.zaxxer.hikari.HikariDataSource;
import io.refreshorchestrator.discovery.JobAction;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a command on one connection, under the job's advisory lock: wait for the lock
 * (skipping as soon as the run holding it covers the command), re-check coverage in the ledger,
 * pass the visibility gate, run the job, unlock. A connection that may still hold the lock never
 * goes back to the pool.
 */
final class LockedRun {

    private static final Logger LOG = LoggerFactory.getLogger(LockedRun.class);
    private static final long LOCK_POLL_MAX_MILLIS = 1_000;

    private final DataSource dataSource;
    private final RunLedger ledger;
    private final VisibilityGate gate;
    private final RefreshTransaction transaction;
    private final HttpCall http;
    private final Clock clock;

    /** Latest SUCCEEDED run per job this runner knows of: a fact that never turns false. */
    private final Map<String, LastRun> known = new ConcurrentHashMap<>();

    LockedRun(
            DataSource dataSource,
            RunLedger ledger,
            VisibilityGate gate,
            HttpCall http,
            Clock clock) {
        this.dataSource = dataSource;
        this.ledger = ledger;
        this.gate = gate;
        this.transaction = new RefreshTransaction(ledger, clock);
        this.http = http;
        this.clock = clock;
    }

    /** The run known to cover {@code command} without asking the database, or null. */
    LastRun knownCover(JobSpec job, RefreshCommand command) {
        LastRun last = known.get(job.name());
        return last != null && last.covers(command) ? last : null;
    }

    /** Cancels the statements running now (shutdown: the commands will be redelivered). */
    void cancelRunning() {
        transaction.cancelRunning();
    }

    /** One attempt on one connection: lock, re-check coverage, gate, run, unlock. */
    RefreshResult run(RunContext context, Attempt attempt)
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
                    return Results.covered(command, job.kind(), last, clock.instant());
                }
                Thread.sleep(pollMillis);
                pollMillis = Math.min(pollMillis * 2, LOCK_POLL_MAX_MILLIS);
            }
            try {
                LastRun last = remember(job, ledger.read(connection, job.name()).orElse(null));
                if (last != null && last.covers(command)) {
                    return Results.covered(command, job.kind(), last, clock.instant());
                }
                if (!context.gatePassed) {
                    context.gateDetail = gate.await(connection, job.name(), context.txIds);
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
            remember(job, run.finished(clock.instant(), null));
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
}
