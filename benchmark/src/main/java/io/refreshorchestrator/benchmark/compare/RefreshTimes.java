package io.refreshorchestrator.benchmark.compare;

import io.refreshorchestrator.freshness.RefreshRun;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Refreshes each view a few times in dependency order and records the runs: the refresh times
 * {@code --quick} uses to compute pg_cron's lag, whose one-minute grain does not fit its time.
 */
final class RefreshTimes {

    private RefreshTimes() {}

    static List<RefreshRun> measure(BenchContext context, int rounds) throws SQLException {
        var runs = new ArrayList<RefreshRun>();
        try (Connection connection = context.connect();
                Statement sql = connection.createStatement()) {
            for (int round = 0; round < rounds; round++) {
                for (String view : WorkloadSchema.VIEWS) {
                    long started = Micros.now();
                    sql.execute(
                            "REFRESH MATERIALIZED VIEW "
                                    + (WorkloadSchema.concurrently(view) ? "CONCURRENTLY " : "")
                                    + view);
                    runs.add(new RefreshRun(view, started, Micros.now()));
                }
            }
        }
        return runs;
    }
}
