package io.refreshorchestrator.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Debezium PostgreSQL change events as the JSON converter without schemas writes them: an insert
 * with a row image of a few columns and the full {@code source} block, one table per job.
 */
final class BenchEvents {

    static final byte[] KEY = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);

    /** Microseconds between two events as the connector stamps them (about 27,000 rows/s). */
    private static final long PROCESSING_MICROS = 37;

    private long lsn = 1;
    private long processedMicros;

    /**
     * The next insert into {@code bench.t_<table>}, in transaction {@code txId}. As with Debezium,
     * {@code source.ts_*} is the commit time, shared by the rows of a transaction, while the
     * envelope's {@code ts_*} is when the connector processed each row, a little later every time.
     */
    byte[] insert(int table, long txId, Instant committedAt) {
        long millis = committedAt.toEpochMilli();
        long position = lsn++;
        processedMicros = Math.max(processedMicros + PROCESSING_MICROS, millis * 1000 + 1000);
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
                        + processedMicros / 1000
                        + ",\"ts_us\":"
                        + processedMicros
                        + ",\"ts_ns\":"
                        + (processedMicros * 1000 + position % 1000)
                        + "}";
        return event.getBytes(StandardCharsets.UTF_8);
    }
}
