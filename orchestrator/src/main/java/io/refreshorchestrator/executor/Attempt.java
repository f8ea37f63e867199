package io.refreshorchestrator.executor;

import java.time.Instant;

/**
 * What one attempt got to before it ended, filled in as it goes, so a failed attempt still reports
 * when its transaction began and which mode it had chosen.
 */
final class Attempt {

    final int number;
    Instant startedAt;
    RefreshPlan plan;

    /** The transaction id ({@code xid8}) of the attempt's transaction, once it made its change. */
    Long txId;

    Attempt(int number) {
        this.number = number;
    }
}
