package io.refreshorchestrator.benchmark.compare;

import io.refreshorchestrator.freshness.RefreshRun;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Refresh on every change, as a team writes it by hand when cron is too slow: a statement trigger
 * on {@code bench.events} sends one NOTIFY per view built on it, and a listener (a thread of this
 * process, on its own connection) refreshes the named view for each notification, then the view
 * built on it. A backlog still queued when a workload's drain time ends is dropped, so the next
 * workload starts clean; its commits count as uncovered.
 */
final class NotifyStrategy implements Strategy {

    private static final String CHANNEL = "bench_refresh";

    private final List<RefreshRun> runs = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean dropBacklog = new AtomicBoolean();
    private final AtomicLong cpuNanos = new AtomicLong();
    private Thread listener;
    private Connection connection;

    @Override
    public String name() {
        return "trigger + NOTIFY";
    }

    @Override
    public String description() {
        return "statement trigger NOTIFY per view; one listener refreshes the view for each"
                + " notification (CONCURRENTLY where a unique index allows), then the view built"
                + " on it";
    }

    @Override
    public void start(BenchContext context) throws SQLException {
        try (Connection setup = context.connect();
                Statement sql = setup.createStatement()) {
            sql.execute(
                    "CREATE FUNCTION bench.notify_refresh() RETURNS trigger LANGUAGE plpgsql AS $$"
                            + " BEGIN"
                            + " PERFORM pg_notify('"
                            + CHANNEL
                            + "', '"
                            + WorkloadSchema.BY_DAY
                            + "'); PERFORM pg_notify('"
                            + CHANNEL
                            + "', '"
                            + WorkloadSchema.BY_CAMPAIGN
                            + "'); PERFORM pg_notify('"
                            + CHANNEL
                            + "', '"
                            + WorkloadSchema.BY_CHANNEL
                            + "'); RETURN NULL; END $$");
            sql.execute(
                    "CREATE TRIGGER events_notify_refresh AFTER INSERT OR UPDATE OR DELETE"
                            + " ON bench.events FOR EACH STATEMENT"
                            + " EXECUTE FUNCTION bench.notify_refresh()");
        }
        connection = context.connect();
        connection.setAutoCommit(true);
        try (Statement sql = connection.createStatement()) {
            sql.execute("LISTEN " + CHANNEL);
        }
        running.set(true);
        listener = new Thread(this::listen, "notify-refresher");
        listener.setDaemon(true);
        listener.start();
    }

    private void listen() {
        var threads = ManagementFactory.getThreadMXBean();
        var pg = connectionUnwrapped();
        try (Statement sql = connection.createStatement()) {
            while (running.get()) {
                PGNotification[] notifications = pg.getNotifications(200);
                if (dropBacklog.compareAndSet(true, false)) {
                    PGNotification[] dropped = pg.getNotifications(1);
                    while (dropped != null && dropped.length > 0) {
                        dropped = pg.getNotifications(1); // queued meanwhile: part of the backlog
                    }
                    continue;
                }
                for (PGNotification notification :
                        notifications == null ? new PGNotification[0] : notifications) {
                    if (!running.get() || dropBacklog.get()) {
                        break;
                    }
                    String view = notification.getParameter();
                    refresh(sql, view);
                    for (var entry : WorkloadSchema.UPSTREAM.entrySet()) {
                        if (entry.getValue().equals(view)) {
                            refresh(sql, entry.getKey());
                        }
                    }
                }
                cpuNanos.set(threads.getCurrentThreadCpuTime());
            }
        } catch (SQLException e) {
            if (running.get()) {
                throw new IllegalStateException("The NOTIFY listener failed", e);
            }
        }
    }

    private void refresh(Statement sql, String view) throws SQLException {
        long started = Micros.now();
        sql.execute(
                "REFRESH MATERIALIZED VIEW "
                        + (WorkloadSchema.concurrently(view) ? "CONCURRENTLY " : "")
                        + view);
        runs.add(new RefreshRun(view, started, Micros.now()));
    }

    private PGConnection connectionUnwrapped() {
        try {
            return connection.unwrap(PGConnection.class);
        } catch (SQLException e) {
            throw new IllegalStateException("Not a PostgreSQL connection", e);
        }
    }

    @Override
    public void afterWorkload() {
        dropBacklog.set(true);
    }

    @Override
    public List<RefreshRun> runs() {
        synchronized (runs) {
            return List.copyOf(runs);
        }
    }

    /** The listener thread's CPU time; memory is this JVM's, not the listener's own. */
    @Override
    public Optional<ProcessUsage> usage() {
        return Optional.of(new ProcessUsage(cpuNanos.get() / 1e9, 0));
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        if (listener != null) {
            listener.join(60_000);
        }
        if (connection != null) {
            connection.close();
        }
    }
}
