package io.refreshorchestrator.app;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop writer for the fault suite: one transaction every {@code period} on a schedule of
 * its own (a slow or failed commit does not push the next one back; ticks missed during an outage
 * are skipped, not made up in a burst), each recorded once PostgreSQL acknowledged its commit with
 * its transaction id, the time the acknowledgement arrived and the tables it wrote. A commit whose
 * acknowledgement was lost (the server went away) is not recorded; the writer reconnects and goes
 * on. It can be paused (the system sits idle) and resumed.
 */
final class FaultWorkload implements AutoCloseable {

    /** One acknowledged commit; {@code committedAt} is read after the acknowledgement. */
    record Commit(long seq, long txId, Instant committedAt, Set<String> tables) {}

    static final String PLAYS = "public.plays";
    static final String TRACKS = "public.tracks";
    static final int TRACK_COUNT = 20;

    private final ConnectionSource connections;
    private final Duration period;
    private final List<Commit> commits = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean paused = new AtomicBoolean();
    private final AtomicBoolean idle = new AtomicBoolean();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final AtomicReference<Throwable> crash = new AtomicReference<>();
    private final Thread thread;
    private long seq;

    /** A new connection to the test's database. */
    interface ConnectionSource {
        Connection connect() throws SQLException;
    }

    FaultWorkload(ConnectionSource connections, Duration period) {
        this.connections = connections;
        this.period = period;
        this.thread = new Thread(this::loop, "fault-workload");
        thread.setDaemon(true);
    }

    /** The source tables and the rows the views start from. */
    static String schema() {
        return """
                CREATE TABLE public.tracks (id int PRIMARY KEY, genre text NOT NULL);
                INSERT INTO public.tracks SELECT i, 'g' || (i %% 5) FROM generate_series(1, %d) i;
                CREATE TABLE public.plays (id bigserial PRIMARY KEY, track_id int NOT NULL);
                """
                .formatted(TRACK_COUNT);
    }

    FaultWorkload start() {
        thread.start();
        return this;
    }

    List<Commit> commits() {
        return List.copyOf(commits);
    }

    /** Attempts that failed (the database was away): the writer retried them. */
    int failedAttempts() {
        return failedAttempts.get();
    }

    /** Stops writing and returns once no transaction is under way. */
    void pause() {
        paused.set(true);
        await(idle::get, "the writer to go idle");
    }

    void resume() {
        paused.set(false);
    }

    /** The failure that ended the writer, if any: anything but a lost connection. */
    Throwable crash() {
        return crash.get();
    }

    private void loop() {
        long next = System.nanoTime();
        Connection connection = null;
        try {
            while (running.get()) {
                if (paused.get()) {
                    idle.set(true);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                    next = System.nanoTime();
                    continue;
                }
                idle.set(false);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                // skip the ticks an outage or a slow commit missed rather than burst
                next = Math.max(next + period.toNanos(), System.nanoTime());
                try {
                    if (connection == null || connection.isClosed()) {
                        connection = connections.connect();
                        connection.setAutoCommit(false);
                    }
                    writeOne(connection);
                } catch (SQLException e) {
                    failedAttempts.incrementAndGet();
                    closeQuietly(connection);
                    connection = null;
                }
            }
        } catch (RuntimeException | Error e) {
            crash.set(e);
        } finally {
            idle.set(true);
            closeQuietly(connection);
        }
    }

    /**
     * Six in ten commits insert a play, one deletes the oldest play, two move a track to another
     * genre, one does both an insert and a move.
     */
    private void writeOne(Connection connection) throws SQLException {
        long next = seq + 1;
        int track = (int) (next % TRACK_COUNT) + 1;
        int kind = (int) (next % 10);
        Set<String> tables;
        try (var statement = connection.createStatement()) {
            if (kind <= 5 || kind == 9) {
                statement.execute("INSERT INTO public.plays (track_id) VALUES (" + track + ")");
            }
            if (kind == 6) {
                statement.execute(
                        "DELETE FROM public.plays WHERE id = (SELECT min(id) FROM public.plays)");
            }
            if (kind >= 7) {
                statement.execute(
                        "UPDATE public.tracks SET genre = 'g' || ((%d / 10) %% 5) WHERE id = %d"
                                .formatted(next, track));
            }
            tables =
                    switch (kind) {
                        case 7, 8 -> Set.of(TRACKS);
                        case 9 -> Set.of(PLAYS, TRACKS);
                        default -> Set.of(PLAYS);
                    };
            long txId;
            try (var row = statement.executeQuery("SELECT txid_current()")) {
                row.next();
                txId = row.getLong(1);
            }
            // a commit whose acknowledgement is lost may or may not have happened: not recorded
            connection.commit();
            commits.add(new Commit(next, txId, Instant.now(), tables));
            seq = next;
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is gone; the caller reconnects
            }
            throw e;
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) {
        org.awaitility.Awaitility.await(what)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .until(condition::getAsBoolean);
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already gone
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
