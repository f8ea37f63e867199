package io.refreshorchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.RefreshMode;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Forced modes, outage detection and secret resolution: the decisions around a run. */
class RunPoliciesTest {

    private static final RelationName VIEW = new RelationName("analytics", "v");
    private static final ViewFacts.Index UNIQUE =
            new ViewFacts.Index("ux", true, true, true, true, false, false, 1);

    @Test
    void shouldForceTheConfiguredModeOnceTheViewIsPopulated() {
        var populated = new ViewFacts(VIEW, true, List.of(UNIQUE));
        var neverFilled = new ViewFacts(VIEW, false, List.of(UNIQUE));

        assertThat(RefreshTransaction.plan(populated, RefreshMode.BLOCKING))
                .isEqualTo(new RefreshPlan(RefreshMode.BLOCKING, RefreshTransaction.FORCED));
        assertThat(RefreshTransaction.plan(populated, null))
                .isEqualTo(new RefreshPlan(RefreshMode.CONCURRENTLY, null));
        // a first population is never concurrent, whatever the configuration says
        assertThat(RefreshTransaction.plan(neverFilled, RefreshMode.CONCURRENTLY))
                .isEqualTo(new RefreshPlan(RefreshMode.BLOCKING, ModePlanner.NOT_POPULATED));
    }

    @ParameterizedTest
    @CsvSource({
        "08001, true",
        "08006, true",
        "57P01, true",
        "57P03, true",
        "55P03, false",
        "40001, false",
        "42501, false"
    })
    void shouldTellAnOutageFromOtherFailures(String sqlState, boolean outage) {
        assertThat(SqlFailures.isConnectionLoss(new SQLException("x", sqlState))).isEqualTo(outage);
    }

    @Test
    void shouldTreatAPoolTimeoutAndALostSocketAsAnOutage() {
        assertThat(SqlFailures.isConnectionLoss(new SQLTransientConnectionException("pool")))
                .isTrue();
        assertThat(SqlFailures.isConnectionLoss(new SQLException("io", null, new IOException())))
                .isTrue();
    }

    @Test
    void shouldRecogniseDuplicateRows() {
        assertThat(SqlFailures.isDuplicateRows(new SQLException("dup", "21000"))).isTrue();
        assertThat(SqlFailures.isDuplicateRows(new SQLException("dup", "23505"))).isTrue();
        assertThat(SqlFailures.isDuplicateRows(new SQLException("no", "42P01"))).isFalse();
    }

    @Test
    void shouldResolveSecretsFromTheEnvironmentAtSendTime() {
        var call = new HttpCall(Map.of("API_TOKEN", "s3cret", "HOST", "h.example")::get);

        assertThat(call.resolve("Bearer ${env:API_TOKEN}")).isEqualTo("Bearer s3cret");
        assertThat(call.resolve("https://${env:HOST}/x?a=$1"))
                .isEqualTo("https://h.example/x?a=$1");
        assertThat(call.resolve("no secrets")).isEqualTo("no secrets");
        assertThatThrownBy(() -> call.resolve("${env:MISSING}"))
                .hasMessage("environment variable MISSING is not set");
    }
}
