package io.refreshorchestrator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventTemplateTest {

    private static byte[] row(long lsn, String note) {
        return ("{\"before\":null,\"after\":{\"id\":"
                        + lsn
                        + ",\"note\":\""
                        + note
                        + "\"},\"source\":{\"version\":\"3.6.1.Final\",\"ts_ms\":1700000000000,"
                        + "\"schema\":\"shop\",\"table\":\"orders\",\"txId\":77,\"lsn\":"
                        + lsn
                        + "},\"op\":\"c\",\"ts_ms\":1700000000005}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theRowsAfterTwoAreReadWithTheTemplate() {
        var scanner = new EventScanner();
        for (long lsn = 100; lsn < 110; lsn++) {
            EventFields fields = scanner.scan(row(lsn, "row " + lsn));
            assertThat(fields.lsn).isEqualTo(lsn);
            assertThat(fields.txId).isEqualTo(77L);
            assertThat(fields.sourceTable).isEqualTo("orders");
        }
        assertThat(scanner.templateMatches()).isEqualTo(8);
    }

    @Test
    void aRowThatDiffersOutsideTheHolesIsReadInFull() {
        var scanner = new EventScanner();
        scanner.scan(row(100, "a"));
        scanner.scan(row(101, "b"));
        byte[] otherTable =
                new String(row(102, "c"), StandardCharsets.UTF_8)
                        .replace("\"orders\"", "\"ordersX\"")
                        .getBytes(StandardCharsets.UTF_8);
        EventFields fields = scanner.scan(otherTable);
        assertThat(fields.sourceTable).isEqualTo("ordersX");
        assertThat(fields.lsn).isEqualTo(102L);
        assertThat(scanner.templateMatches()).isZero();
    }

    @Test
    void anEventLargerThanTheLimitMakesNoTemplate() {
        var scanner = new EventScanner();
        String wide = "x".repeat(EventTemplate.MAX_BYTES);
        for (long lsn = 100; lsn < 105; lsn++) {
            EventFields fields = scanner.scan(row(lsn, wide + lsn));
            assertThat(fields.lsn).isEqualTo(lsn);
        }
        assertThat(scanner.templateMatches()).isZero();
    }
}
