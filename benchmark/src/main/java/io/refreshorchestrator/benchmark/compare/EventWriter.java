package io.refreshorchestrator.benchmark.compare;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.function.Consumer;

/**
 * An {@link OpenLoopWriter.Session} that inserts {@code rowsPerCommit} events per arrival into
 * {@code bench.events} in one autocommit statement; the values follow from the arrival index (and a
 * salt per workload), so every strategy writes the same rows.
 */
final class EventWriter implements OpenLoopWriter.Session {

    private static final LocalDate FIRST_DAY = LocalDate.of(2026, 1, 1);

    private final Connection connection;
    private final PreparedStatement insert;
    private final int salt;
    private final int rowsPerCommit;
    private final Consumer<Commit> onCommit;

    /** {@code onCommit} hears of each commit as soon as it returned. */
    EventWriter(Connection connection, int salt, int rowsPerCommit, Consumer<Commit> onCommit)
            throws SQLException {
        this.onCommit = onCommit;
        this.connection = connection;
        this.salt = salt;
        this.rowsPerCommit = rowsPerCommit;
        connection.setAutoCommit(true);
        var sql =
                new StringBuilder(
                        "INSERT INTO bench.events (campaign_id, occurred_on, amount) VALUES ");
        for (int i = 0; i < rowsPerCommit; i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?)");
        }
        this.insert = connection.prepareStatement(sql + " RETURNING id");
    }

    @Override
    public Commit write(int index) throws SQLException {
        int campaign = 0;
        int day = 0;
        for (int row = 0; row < rowsPerCommit; row++) {
            long n = (long) index * rowsPerCommit + row + salt;
            campaign = (int) (n * 7 % WorkloadSchema.CAMPAIGNS);
            day = (int) (n * 13 % WorkloadSchema.DAYS);
            insert.setInt(row * 3 + 1, campaign);
            insert.setDate(row * 3 + 2, Date.valueOf(FIRST_DAY.plusDays(day)));
            insert.setBigDecimal(row * 3 + 3, java.math.BigDecimal.valueOf(n % 1000, 1));
        }
        long lastId = 0;
        try (ResultSet ids = insert.executeQuery()) {
            while (ids.next()) {
                lastId = Math.max(lastId, ids.getLong(1));
            }
        }
        var commit = new Commit(lastId, campaign, day, Micros.now());
        onCommit.accept(commit);
        return commit;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
