package io.refreshorchestrator.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Debezium PostgreSQL change events as the JSON converter without schemas writes them: an insert
 * with a row image of a few columns and the full {@code source} block, one table per job.
 */
final class BenchEvents {

    static final byte[] KEY = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);

    private long lsn = 1;

    /** The next insert into {@code bench.t_<table>}, in transaction {@code txId}. */
    byte[] insert(int table, long txId, Instant committedAt) {
        long millis = committedAt.toEpochMilli();
        long position = lsn++;
        String event =
                "{\"before\":null,\"after\":{\"id\":"
                        + position
                        + ",\"customer_id\":"
                        + (position % 977)
                        + ",\"status\":\"shipped\",\"amount\":\"12.50\",\"note\":\"row "
                        + position
                        + " of a benchmark\",\"updated_at\":"
                        + millis * 1000
                        + "},\"source\":{\"version\":\"3.6.1.Final\",\"connector\":\"postgresql\","
                        + "\"name\":\"bench\",\"ts_ms\":"
                        + millis
                        + ",\"snapshot\":\"false\",\"db\":\"app\",\"sequence\":\"[\\\"100\\\",\\\""
                        + position
                        + "\\\"]\",\"ts_us\":"
                        + millis * 1000
                        + ",\"ts_ns\":"
                        + millis * 1_000_000
                        + ",\"schema\":\"bench\",\"table\":\"t_"
                        + table
                        + "\",\"txId\":"
                        + txId
                        + ",\"lsn\":"
                        + position
                        + ",\"xmin\":null},\"transaction\":null,\"op\":\"c\",\"ts_ms\":"
                        + millis
                        + ",\"ts_us\":"
                        + millis * 1000
                        + ",\"ts_ns\":"
                        + millis * 1_000_000
                        + "}";
        return event.getBytes(StandardCharsets.UTF_8);
    }
}
