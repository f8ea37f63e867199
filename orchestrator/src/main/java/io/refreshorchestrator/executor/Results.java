package io.refreshorchestrator.executor;

import io.refreshorchestrator.events.ChangeSummary;
import io.refreshorchestrator.events.JobKind;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.RunError;
import io.refreshorchestrator.events.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Builds {@link RefreshResult}s, so every outcome fills the contract the same way. */
final class Results {

    private Results() {}

    /**
     * The result of a run that got as far as {@code attempt}. {@code durationMs} covers the last
     * attempt's transaction (backoff between attempts excluded); freshness lag is reported only for
     * a SUCCEEDED run, the only one that made the view fresh.
     */
    static RefreshResult ofRun(
            RefreshCommand command,
            JobKind kind,
            Attempt attempt,
            Status status,
            Instant finishedAt,
            RunError error,
            String... details) {
        ChangeSummary changes =
                command.changes() == null ? ChangeSummary.none() : command.changes();
        Instant firstChangeAt = changes.firstChangeAt();
        Long durationMs =
                attempt.startedAt == null
                        ? null
                        : Duration.between(attempt.startedAt, finishedAt).toMillis();
        Long freshnessLagMs =
                status == Status.SUCCEEDED && firstChangeAt != null
                        ? Duration.between(firstChangeAt, finishedAt).toMillis()
                        : null;
        String planDetail = attempt.plan == null ? null : attempt.plan.detail();
        String detail =
                Stream.concat(Stream.of(planDetail), Stream.of(details))
                        .filter(Objects::nonNull)
                        .collect(Collectors.joining("; "));
        return new RefreshResult(
                RefreshResult.CURRENT_VERSION,
                command.id(),
                command.job(),
                kind,
                status,
                command.reason(),
                attempt.plan == null ? null : attempt.plan.mode(),
                attempt.number,
                command.requestedAt(),
                attempt.startedAt,
                finishedAt,
                durationMs,
                firstChangeAt,
                freshnessLagMs,
                error,
                detail.isEmpty() ? null : detail,
                status == Status.SUCCEEDED ? attempt.txId : null);
    }

    /**
     * A command a SUCCEEDED run covers. SKIPPED when another command's run covers it. When the run
     * was this command's own (redelivered: the executor stopped after the run committed and before
     * its result was acknowledged), the run's result is published again as SUCCEEDED, with the
     * run's times and transaction: a SKIPPED result would never cascade, and the views built on
     * this one would miss the change for good.
     */
    static RefreshResult covered(RefreshCommand command, JobKind kind, LastRun run, Instant at) {
        if (!run.ran(command)) {
            return skipped(command, kind, run.coverDetail(command), at);
        }
        ChangeSummary changes =
                command.changes() == null ? ChangeSummary.none() : command.changes();
        Instant finishedAt = run.finishedAt() == null ? at : run.finishedAt();
        Instant firstChangeAt = changes.firstChangeAt();
        return new RefreshResult(
                RefreshResult.CURRENT_VERSION,
                command.id(),
                command.job(),
                kind,
                Status.SUCCEEDED,
                command.reason(),
                null,
                1,
                command.requestedAt(),
                run.startedAt(),
                finishedAt,
                Duration.between(run.startedAt(), finishedAt).toMillis(),
                firstChangeAt,
                firstChangeAt == null
                        ? null
                        : Duration.between(firstChangeAt, finishedAt).toMillis(),
                null,
                run.coverDetail(command) + "; its result is published again",
                run.txId());
    }

    /** A command covered by an earlier SUCCEEDED run: nothing ran, {@code detail} names the run. */
    static RefreshResult skipped(RefreshCommand command, JobKind kind, String detail, Instant at) {
        ChangeSummary changes =
                command.changes() == null ? ChangeSummary.none() : command.changes();
        return new RefreshResult(
                RefreshResult.CURRENT_VERSION,
                command.id(),
                command.job(),
                kind,
                Status.SKIPPED,
                command.reason(),
                null,
                0,
                command.requestedAt(),
                null,
                at,
                null,
                changes.firstChangeAt(),
                null,
                null,
                detail,
                null);
    }

    /** A command refused before anything ran; its kind is unknown, so left out. */
    static RefreshResult rejected(RefreshCommand command, String why, Instant at) {
        ChangeSummary changes =
                command.changes() == null ? ChangeSummary.none() : command.changes();
        return new RefreshResult(
                RefreshResult.CURRENT_VERSION,
                command.id(),
                command.job(),
                null,
                Status.REJECTED,
                command.reason(),
                null,
                0,
                command.requestedAt(),
                null,
                at,
                null,
                changes.firstChangeAt(),
                null,
                new RunError(null, why),
                "nothing executed",
                null);
    }
}
