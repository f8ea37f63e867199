package io.refreshorchestrator.api;

import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the commands and results topics said about one job: its recent results (for success rate and
 * duration percentiles) and the changes commanded but not yet covered by a SUCCEEDED refresh (for
 * staleness). Not thread-safe: {@link ResultsWatcher} guards it.
 */
final class JobActivity {

    /** A commanded span of changes: commit times of its first and last change. */
    private record Span(Instant first, Instant last) {}

    private final Deque<RefreshResult> recent = new ArrayDeque<>();
    private final Map<UUID, Span> uncovered = new HashMap<>();
    private RefreshResult last;
    private Instant coveredUntil;

    void command(RefreshCommand command) {
        var changes = command.changes();
        if (command.id() == null || changes == null || changes.firstChangeAt() == null) {
            return;
        }
        var lastChange =
                changes.lastChangeAt() == null ? changes.firstChangeAt() : changes.lastChangeAt();
        if (coveredUntil == null || lastChange.isAfter(coveredUntil)) {
            uncovered.put(command.id(), new Span(changes.firstChangeAt(), lastChange));
        }
    }

    void result(RefreshResult result) {
        last = result;
        recent.addLast(result);
        if (result.status() == Status.SUCCEEDED && result.startedAt() != null) {
            // A refresh that started after a commit saw it.
            if (coveredUntil == null || result.startedAt().isAfter(coveredUntil)) {
                coveredUntil = result.startedAt();
            }
            uncovered.remove(result.commandId());
            uncovered.values().removeIf(span -> !span.last().isAfter(coveredUntil));
        }
    }

    /** Drops results that finished before {@code since}. */
    void forgetBefore(Instant since) {
        while (!recent.isEmpty() && finished(recent.peekFirst()).isBefore(since)) {
            recent.removeFirst();
        }
    }

    RefreshResult last() {
        return last;
    }

    List<RefreshResult> recent() {
        return new ArrayList<>(recent);
    }

    /**
     * Time since the oldest change not covered by a SUCCEEDED refresh, 0 when none.
     *
     * @param firstPendingChangeAt the oldest change the topology has not commanded yet, or null
     */
    Duration staleness(Instant firstPendingChangeAt, Instant now) {
        Instant oldest = null;
        for (var span : uncovered.values()) {
            oldest = min(oldest, notBeforeCovered(span.first()));
        }
        if (firstPendingChangeAt != null) {
            oldest = min(oldest, notBeforeCovered(firstPendingChangeAt));
        }
        if (oldest == null || !now.isAfter(oldest)) {
            return Duration.ZERO;
        }
        return Duration.between(oldest, now);
    }

    private Instant notBeforeCovered(Instant change) {
        return coveredUntil != null && coveredUntil.isAfter(change) ? coveredUntil : change;
    }

    static Instant finished(RefreshResult result) {
        return result.finishedAt() != null ? result.finishedAt() : Instant.EPOCH;
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
