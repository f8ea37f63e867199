package io.refreshorchestrator.benchmark.compare;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Samples a replication slot's lag once a second: the WAL bytes between the server's current
 * position and what the slot's consumer confirmed ({@code pg_current_wal_lsn() -
 * confirmed_flush_lsn}).
 */
final class SlotLagSampler implements AutoCloseable {

    /** One sample: when (epoch µs) and how many bytes behind. */
    record Sample(long atMicros, long lagBytes) {}

    private final List<Sample> samples = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    SlotLagSampler(Connection connection, String slot) {
        thread = new Thread(() -> sample(connection, slot), "slot-lag-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void sample(Connection connection, String slot) {
        try (connection;
                PreparedStatement query =
                        connection.prepareStatement(
                                "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)"
                                        + " FROM pg_replication_slots WHERE slot_name = ?")) {
            query.setString(1, slot);
            while (running.get()) {
                try (ResultSet row = query.executeQuery()) {
                    if (row.next()) {
                        synchronized (samples) {
                            samples.add(new Sample(Micros.now(), row.getLong(1)));
                        }
                    }
                }
                Thread.sleep(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            if (running.get()) {
                throw new IllegalStateException("Cannot sample the slot lag of " + slot, e);
            }
        }
    }

    /** The samples taken in {@code [fromMicros, toMicros)}. */
    List<Sample> between(long fromMicros, long toMicros) {
        synchronized (samples) {
            return samples.stream()
                    .filter(s -> s.atMicros() >= fromMicros && s.atMicros() < toMicros)
                    .toList();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5_000);
    }
}
