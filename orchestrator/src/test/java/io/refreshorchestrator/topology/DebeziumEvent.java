package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.RelationName;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Builds Debezium PostgreSQL change events as the JSON converter writes them. */
final class DebeziumEvent {

    private final RelationName table;
    private String op = "c";
    private Instant committedAt = Instant.parse("2026-03-02T10:00:00Z");

    /** Each event is its own transaction unless a test says otherwise, as single-row writes are. */
    private static final AtomicLong NEXT_TX_ID = new AtomicLong(1000);

    private static final AtomicLong NEXT_LSN = new AtomicLong(24_000_000);

    private long txId = NEXT_TX_ID.getAndIncrement();
    private long lsn = NEXT_LSN.getAndIncrement();

    private DebeziumEvent(RelationName table) {
        this.table = table;
    }

    static DebeziumEvent insertInto(RelationName table) {
        return new DebeziumEvent(table);
    }

    DebeziumEvent op(String op) {
        this.op = op;
        return this;
    }

    DebeziumEvent committedAt(Instant committedAt) {
        this.committedAt = committedAt;
        return this;
    }

    DebeziumEvent txId(long txId) {
        this.txId = txId;
        return this;
    }

    DebeziumEvent lsn(long lsn) {
        this.lsn = lsn;
        return this;
    }

    /** The bare envelope: {@code key.converter.schemas.enable=false}. */
    String bare() {
        return """
                {"before":null,"after":{"id":42,"title":"So What"},\
                "source":{"version":"3.6.1.Final","connector":"postgresql","name":"pg",\
                "ts_ms":%d,"snapshot":"false","db":"music","sequence":"[null,\\"%d\\"]",\
                "schema":"%s","table":"%s","txId":%d,"lsn":%d,"xmin":null},\
                "transaction":null,"op":"%s","ts_ms":%d}"""
                .formatted(
                        committedAt.toEpochMilli(),
                        lsn,
                        table.schema(),
                        table.name(),
                        txId,
                        lsn,
                        op,
                        committedAt.toEpochMilli() + 5);
    }

    /** The envelope wrapped with its schema: {@code value.converter.schemas.enable=true}. */
    String schemaWrapped() {
        return """
                {"schema":{"type":"struct","optional":false,"name":"pg.%s.%s.Envelope",\
                "fields":[{"type":"struct","optional":true,"field":"before"},\
                {"type":"struct","optional":true,"field":"after"},\
                {"type":"struct","optional":false,"field":"source"},\
                {"type":"string","optional":false,"field":"op"},\
                {"type":"int64","optional":true,"field":"ts_ms"}]},\
                "payload":%s}"""
                .formatted(table.schema(), table.name(), bare());
    }
}
