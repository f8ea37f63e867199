package io.refreshorchestrator.benchmark.compare;

import io.refreshorchestrator.freshness.RefreshRun;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * pg_cron 1.4 refreshing every view every minute (its finest grain), one cron job per view, the
 * runs read back from {@code cron.job_run_details}. Needs {@code shared_preload_libraries=pg_cron}
 * and {@code cron.database_name} set to the workload database when the server starts.
 */
final class PgCronStrategy implements Strategy {

    private BenchContext context;

    @Override
    public String name() {
        return "pg_cron 1 min";
    }

    @Override
    public String description() {
        return "pg_cron 1.4, one job per view on '* * * * *' (the finest grain of 1.4)";
    }

    @Override
    public boolean drainsEachWorkload() {
        return false;
    }

    @Override
    public void start(BenchContext context) throws SQLException {
        this.context = context;
        try (Connection connection = context.connect();
                Statement sql = connection.createStatement()) {
            sql.execute("CREATE EXTENSION IF NOT EXISTS pg_cron");
            sql.execute("SELECT cron.unschedule(jobid) FROM cron.job");
            sql.execute("TRUNCATE cron.job_run_details");
            try (PreparedStatement schedule =
                    connection.prepareStatement("SELECT cron.schedule(?, '* * * * *', ?)")) {
                for (String view : WorkloadSchema.VIEWS) {
                    schedule.setString(1, "refresh " + view);
                    schedule.setString(
                            2,
                            "REFRESH MATERIALIZED VIEW "
                                    + (WorkloadSchema.concurrently(view) ? "CONCURRENTLY " : "")
                                    + view);
                    schedule.execute();
                }
            }
        }
    }

    @Override
    public List<RefreshRun> runs() throws SQLException {
        var runs = new ArrayList<RefreshRun>();
        try (Connection connection = context.connect();
                Statement sql = connection.createStatement();
                ResultSet rows =
                        sql.executeQuery(
                                "SELECT substr(j.jobname, 9), d.start_time, d.end_time"
                                        + " FROM cron.job_run_details d JOIN cron.job j USING"
                                        + " (jobid) WHERE d.status = 'succeeded'"
                                        + " AND d.end_time IS NOT NULL")) {
            while (rows.next()) {
                runs.add(
                        new RefreshRun(
                                rows.getString(1),
                                Micros.of(rows.getTimestamp(2).toInstant()),
                                Micros.of(rows.getTimestamp(3).toInstant())));
            }
        }
        return runs;
    }

    /** Runs by status and message, from {@code cron.job_run_details}. */
    @Override
    public String diagnostics() {
        var text = new StringBuilder();
        try (Connection connection = context.connect();
                Statement sql = connection.createStatement();
                ResultSet rows =
                        sql.executeQuery(
                                "SELECT status, left(return_message, 120), count(*),"
                                        + " max(start_time) FROM cron.job_run_details"
                                        + " GROUP BY 1, 2")) {
            while (rows.next()) {
                text.append("; ")
                        .append(rows.getLong(3))
                        .append(" run(s) ")
                        .append(rows.getString(1))
                        .append(" (")
                        .append(rows.getString(2))
                        .append(", last at ")
                        .append(rows.getTimestamp(4))
                        .append(')');
            }
        } catch (SQLException e) {
            text.append("; cron.job_run_details unreadable: ").append(e.getMessage());
        }
        return text.toString();
    }

    @Override
    public void close() throws SQLException {
        if (context == null) {
            return;
        }
        try (Connection connection = context.connect();
                Statement sql = connection.createStatement()) {
            sql.execute("SELECT cron.unschedule(jobid) FROM cron.job");
        }
    }
}
