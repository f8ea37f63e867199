package io.refreshorchestrator.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreflightCheckTest {

    @Test
    void shouldMakeAFailedPreflightPermanentWhereverItIsWrapped() {
        var preflight =
                new CaptureNotPossibleException(
                        "app",
                        List.of(
                                PreflightCheck.missing(
                                        "wal_level", "is 'replica'", "ALTER SYSTEM ...")));

        // the listener rewraps failures with the same message
        var wrapped = new CdcException(preflight.getMessage(), preflight);

        assertThat(CdcException.isPermanent(wrapped)).isTrue();
        assertThat(preflight.missing()).hasSize(1);
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
        assertThat(PreflightCheck.ok("wal_level", "logical").describe())
                .isEqualTo("OK       wal_level: logical");
    }
}
