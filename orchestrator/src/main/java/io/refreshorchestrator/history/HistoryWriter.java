package io.refreshorchestrator.history;

import com.zaxxer.hikari.HikariDataSource;
import io.refreshorchestrator.config.Durations;
import io.refreshorchestrator.config.HistorySettings;
import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.config.PostgresSettings;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Topic;
import io.refreshorchestrator.logging.Outage;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run history sink: a consumer group of its own on {@code refresh-results} writing every result
 * to {@code <state-schema>.run_history}, and deleting rows older than the retention.
 *
 * <p>A consumer of the results topic rather than a write by the executor: it records every result
 * whichever instance or version published it (REJECTED and SKIPPED ones included), a database
 * outage never holds up a result's publication, and the offsets are committed only after the rows
 * are: a crash before the commit redelivers the batch, whose rows are there already (ON CONFLICT DO
 * NOTHING on command id and status), so each result has exactly one row.
 */
public final class HistoryWriter implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** How often rows older than the retention are looked for. */
    static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

    private final HistorySettings settings;
    private final HistoryTable table;
    private final String tableName;
    private final Topic<String, RefreshResult> results;
    private final KafkaConsumer<String, byte[]> consumer;
    private final HikariDataSource dataSource;
    private final Outage database;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch closeRequested = new CountDownLatch(1);
    private boolean tableReady;
    private long nextPurge;
    private int failures;

    public HistoryWriter(
            HistorySettings settings,
            PostgresSettings postgres,
            String stateSchema,
            KafkaSettings kafka,
            Topic<String, RefreshResult> results,
            String groupId) {
        this.settings = settings;
        this.table = new HistoryTable(stateSchema);
        this.tableName = stateSchema + ".run_history";
        this.results = results;
        this.database =
                new Outage(
                        LOG,
                        "PostgreSQL at "
                                + postgres.host()
                                + ":"
                                + postgres.port()
                                + "/"
                                + postgres.database()
                                + " (run history)");
        this.dataSource = HistoryClients.dataSource(postgres);
        try {
            this.consumer = new KafkaConsumer<>(HistoryClients.consumerConfig(kafka, groupId));
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** Starts the writer on a thread of its own. */
    public HistoryWriter start() {
        var thread = new Thread(this, "refresh-history");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(results.name()));
            LOG.info(
                    "Run history: every result of {} goes to {}, kept {} (history.retention)",
                    results.name(),
                    tableName,
                    Durations.format(settings.retention()));
            while (!closing.get()) {
                step();
            }
        } catch (WakeupException | InterruptException e) {
            LOG.debug("history writer woken up to close");
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (KafkaException e) {
                LOG.warn("history consumer did not close cleanly: {}", e.toString());
            }
            dataSource.close();
            stopped.countDown();
        }
    }

    private void step() {
        try {
            if (!tableReady) {
                try (var connection = dataSource.getConnection()) {
                    table.ensure(connection);
                }
                tableReady = true;
            }
            ConsumerRecords<String, byte[]> batch = consumer.poll(POLL);
            if (!batch.isEmpty()) {
                write(batch);
            }
            purgeIfDue();
            database.recovered();
            failures = 0;
        } catch (SQLException e) {
            database.failed(e.getMessage());
            backOff();
        }
    }

    private void write(ConsumerRecords<String, byte[]> batch) throws SQLException {
        var rows = new ArrayList<RefreshResult>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : batch) {
            var partition = new TopicPartition(record.topic(), record.partition());
            first.putIfAbsent(partition, record.offset());
            next.put(partition, new OffsetAndMetadata(record.offset() + 1));
            decode(record, rows);
        }
        try (var connection = dataSource.getConnection()) {
            table.insert(connection, rows);
        } catch (SQLException e) {
            // Read again once the database answers: nothing of the batch is lost.
            first.forEach(consumer::seek);
            throw e;
        }
        try {
            consumer.commitSync(next, COMMIT_TIMEOUT);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            // The rows are written: a redelivery finds them there and adds nothing.
            LOG.debug(
                    "history offsets not committed, the batch may be read again: {}", e.toString());
        }
    }

    private void decode(ConsumerRecord<String, byte[]> record, List<RefreshResult> rows) {
        RefreshResult result;
        try {
            result =
                    results.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            result = null;
        }
        if (result == null
                || result.commandId() == null
                || result.job() == null
                || result.status() == null) {
            LOG.warn(
                    "run history: {}-{}@{} is not a result with commandId, job and status; not"
                            + " recorded",
                    record.topic(),
                    record.partition(),
                    record.offset());
            return;
        }
        rows.add(result);
    }

    private void purgeIfDue() throws SQLException {
        if (System.nanoTime() - nextPurge < 0) {
            return;
        }
        int deleted;
        try (var connection = dataSource.getConnection()) {
            deleted = table.purge(connection, settings.retention());
        }
        if (deleted > 0) {
            LOG.info(
                    "Run history: deleted {} row(s) of {} older than {} (history.retention)",
                    deleted,
                    tableName,
                    Durations.format(settings.retention()));
        }
        // A full batch: more may wait, taken on the next step (the consumer keeps polling).
        if (deleted < HistoryTable.PURGE_BATCH) {
            nextPurge = System.nanoTime() + PURGE_INTERVAL.toNanos();
        }
    }

    private void backOff() {
        long millis = Math.min(MAX_BACKOFF.toMillis(), 250L << Math.min(failures++, 5));
        try {
            if (closeRequested.await(millis, TimeUnit.MILLISECONDS)) {
                closing.set(true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing.set(true);
        }
    }

    /** Stops the writer; what it wrote stays, what it did not is read again on the next start. */
    @Override
    public void close() {
        closing.set(true);
        closeRequested.countDown();
        consumer.wakeup();
        try {
            if (!stopped.await(15, TimeUnit.SECONDS)) {
                LOG.warn("history writer did not stop within 15 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
