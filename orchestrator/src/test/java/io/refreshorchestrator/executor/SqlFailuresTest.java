package io.refreshorchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.executor.SqlFailures.Kind;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlFailuresTest {

    @ParameterizedTest
    @CsvSource({
        "08001, TRANSIENT", // connection refused
        "08006, TRANSIENT", // connection lost mid-statement
        "57P01, TRANSIENT", // admin shutdown
        "57P03, TRANSIENT", // server starting up
        "55P03, TRANSIENT", // lock_timeout
        "40001, TRANSIENT",
        "40P01, TRANSIENT",
        "42P01, PERMANENT", // undefined table
        "42501, PERMANENT", // insufficient privilege
        "23505, PERMANENT", // duplicate rows for CONCURRENTLY
        "55000, PERMANENT" // CONCURRENTLY on a view not populated
    })
    void shouldSortSqlStates(String sqlState, Kind expected) {
        assertThat(SqlFailures.classify(new SQLException("boom", sqlState), false))
                .isEqualTo(expected);
    }

    @Test
    void shouldReportAStatementTimeoutAsTimedOut() {
        var byMessage =
                new SQLException("ERROR: canceling statement due to statement timeout", "57014");
        var localized = new SQLException("FEHLER: storniere Anfrage", "57014");

        assertThat(SqlFailures.classify(byMessage, false)).isEqualTo(Kind.TIMED_OUT);
        assertThat(SqlFailures.classify(localized, true)).isEqualTo(Kind.TIMED_OUT);
    }

    @Test
    void shouldNotRetryACancelRequest() {
        var cancelled = new SQLException("canceling statement due to user request", "57014");

        assertThat(SqlFailures.classify(cancelled, false)).isEqualTo(Kind.PERMANENT);
    }

    @Test
    void shouldRetryWhenThePoolCannotConnect() {
        var noState = new SQLTransientConnectionException("pool - Connection is not available");

        assertThat(SqlFailures.classify(noState, false)).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void shouldGiveUpOnAnUnknownFailure() {
        assertThat(SqlFailures.classify(new SQLException("odd"), false)).isEqualTo(Kind.PERMANENT);
    }

    @Test
    void shouldSeeAShutdownBehindTheCleanupFailureThatHidIt() {
        // given: the server shut down mid-statement (57P01), then the rollback found the
        // connection already evicted by the pool
        var closed = new SQLException("Connection is closed");
        closed.addSuppressed(new SQLException("terminating connection", "57P01"));

        // then: it is an outage, retried until the database is back, not a permanent failure
        assertThat(SqlFailures.isConnectionLoss(closed)).isTrue();
    }

    @Test
    void shouldTakeAPoolsClosedConnectionForAnOutage() {
        assertThat(SqlFailures.isConnectionLoss(new SQLException("Connection is closed"))).isTrue();
        assertThat(SqlFailures.isConnectionLoss(new SQLException("relation does not exist")))
                .isFalse();
    }
}
