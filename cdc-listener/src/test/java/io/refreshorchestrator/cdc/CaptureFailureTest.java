package io.refreshorchestrator.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptureFailureTest {

    @Test
    void shouldTreatAFailedPreflightAsPermanentWhereverItIsWrapped() {
        var preflight =
                new CaptureNotPossibleException(
                        "app",
                        List.of(
                                PreflightCheck.missing(
                                        "wal_level", "is 'replica'", "ALTER SYSTEM ...")));

        // the listener rewraps failures with the same message
        var wrapped = new CdcException(preflight.getMessage(), preflight);

        assertThat(CaptureFailure.classify(wrapped)).isEqualTo(CaptureFailure.PERMANENT);
    }

    @Test
    void shouldTreatPrivilegeWalLevelAndSlotLimitErrorsAsPermanent() {
        assertThat(classify("permission denied for table plays", "42501"))
                .isEqualTo(CaptureFailure.PERMANENT);
        assertThat(classify("logical decoding requires wal_level >= logical", "55000"))
                .isEqualTo(CaptureFailure.PERMANENT);
        assertThat(classify("all replication slots are in use", "53400"))
                .isEqualTo(CaptureFailure.PERMANENT);
        assertThat(classify("password authentication failed for user \"x\"", "28P01"))
                .isEqualTo(CaptureFailure.PERMANENT);
    }

    @Test
    void shouldRetryLostConnectionsAndSlotsInUse() {
        assertThat(classify("Connection refused", "08001")).isEqualTo(CaptureFailure.TRANSIENT);
        assertThat(classify("replication slot \"s\" is active for PID 42", "55006"))
                .isEqualTo(CaptureFailure.TRANSIENT);
        assertThat(classify("cannot read from logical replication slot \"s\"", "55000"))
                .isEqualTo(CaptureFailure.TRANSIENT);
        assertThat(CaptureFailure.classify(new IllegalStateException("broker gone")))
                .isEqualTo(CaptureFailure.TRANSIENT);
    }

    private static CaptureFailure classify(String message, String sqlState) {
        return CaptureFailure.classify(
                new CdcException("capture failed", new SQLException(message, sqlState)));
    }

    @Test
    void shouldDescribeAMissingCheckWithEachFixLineIndented() {
        var check = PreflightCheck.missing("publication", "cannot create", "GRANT a;\nCREATE b;");

        assertThat(check.describe())
                .isEqualTo(
                        String.join(
                                System.lineSeparator(),
                                "MISSING  publication: cannot create",
                                "         fix: GRANT a;",
                                "              CREATE b;"));
    }
}
