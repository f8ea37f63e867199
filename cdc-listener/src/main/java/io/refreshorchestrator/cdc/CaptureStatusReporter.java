package io.refreshorchestrator.cdc;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@link CaptureHealth} visible: measures the WAL the slot retains, publishes a {@link
 * CaptureStatus} on every state change and every interval, and while capture is down says so in the
 * log once a minute. Best effort: a database or broker that is away only skips a reading.
 */
final class CaptureStatusReporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureStatusReporter.class);
    private static final Duration REMINDER_EVERY = Duration.ofMinutes(1);
    private static final String RETAINED_WAL =
            "SELECT pg_current_wal_lsn() - restart_lsn FROM pg_replication_slots"
                    + " WHERE slot_name = ?";

    private final CdcSettings settings;
    private final CaptureHealth health;
    private final Duration interval;
    private final Clock clock;
    private final String instance = instanceName();
    private final ScheduledExecutorService timer;
    private KafkaProducer<String, String> producer;
    private Instant lastReminder = Instant.MIN;

    CaptureStatusReporter(
            CdcSettings settings, CaptureHealth health, Duration interval, Clock clock) {
        this.settings = settings;
        this.health = health;
        this.interval = interval;
        this.clock = clock;
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            var thread = new Thread(runnable, "cdc-status-" + settings.slotName());
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    void start() {
        health.onStateChange(snapshot -> submit(this::publish));
        timer.scheduleWithFixedDelay(
                this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The name this process reports as: {@code <pid>@<host>}. */
    static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return ManagementFactory.getRuntimeMXBean().getPid() + "@" + host;
    }

    private void tick() {
        measureRetainedWal();
        publish();
        remindWhileDown();
    }

    private void submit(Runnable task) {
        if (!timer.isShutdown()) {
            try {
                timer.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    private void measureRetainedWal() {
        var postgres = settings.postgres();
        var props = postgres.jdbcProperties();
        props.putIfAbsent("connectTimeout", "5");
        props.put("socketTimeout", "10");
        try (var connection = DriverManager.getConnection(postgres.jdbcUrl(), props);
                var statement = connection.prepareStatement(RETAINED_WAL)) {
            statement.setString(1, settings.slotName());
            try (var result = statement.executeQuery()) {
                if (result.next() && result.getBigDecimal(1) != null) {
                    health.retainedWal(result.getBigDecimal(1).longValue());
                }
            }
        } catch (SQLException e) {
            LOG.debug(
                    "Cannot measure the WAL slot '{}' retains: {}",
                    settings.slotName(),
                    e.toString());
        }
    }

    private void publish() {
        try {
            var status =
                    CaptureStatus.of(
                            settings.slotName(), instance, health.snapshot(), clock.instant());
            producer()
                    .send(
                            new ProducerRecord<>(
                                    settings.signalsTopic(),
                                    CaptureStatus.key(settings.slotName()),
                                    SignalPublisher.JSON.writeValueAsString(status)),
                            (metadata, error) -> {
                                if (error != null) {
                                    LOG.debug("Capture status not published: {}", error.toString());
                                }
                            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("CaptureStatus is always serializable", e);
        } catch (RuntimeException e) {
            LOG.debug("Capture status not published: {}", e.toString());
        }
    }

    private void remindWhileDown() {
        var snapshot = health.snapshot();
        var now = clock.instant();
        if (!snapshot.down()
                || Duration.between(snapshot.since(), now).compareTo(REMINDER_EVERY) < 0
                || Duration.between(lastReminder, now).compareTo(REMINDER_EVERY) < 0) {
            return;
        }
        lastReminder = now;
        LOG.warn(
                "Change capture has been down for {} min (since {}, {}): {}",
                Duration.between(snapshot.since(), now).toMinutes(),
                snapshot.since(),
                snapshot.state() == CaptureHealth.State.FAILED
                        ? "needs fixing, checked again every minute"
                        : "retrying",
                snapshot.reason());
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            var props = KafkaClients.common(settings.kafka());
            props.put(ProducerConfig.CLIENT_ID_CONFIG, settings.engineName() + "-status");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            // A status is worth nothing late: never hold the reporter's thread for long.
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            producer = new KafkaProducer<>(props);
        }
        return producer;
    }

    /** Publishes the final status (best effort) and stops. */
    @Override
    public void close() {
        submit(this::publish);
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
