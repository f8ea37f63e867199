package io.refreshorchestrator.benchmark.compare;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;

/**
 * Replaces the writer's commit times (when the commit returned to it) by the server's commit
 * timestamps ({@code track_commit_timestamp}), the commit time the project's own freshness lag
 * counts from (Debezium's {@code source.ts_ms}). The writer's clock reads a commit only after it
 * became visible, so a refresh that started in between would look as if it missed it.
 */
final class CommitTimes {

    private CommitTimes() {}

    /** The commits with server commit times where the server has them, sorted by that time. */
    static List<Commit> fromServer(Connection connection, List<Commit> commits)
            throws SQLException {
        if (commits.isEmpty()) {
            return commits;
        }
        long low = commits.stream().mapToLong(Commit::rowId).min().orElseThrow();
        long high = commits.stream().mapToLong(Commit::rowId).max().orElseThrow();
        var committed = new HashMap<Long, Long>();
        try (PreparedStatement query =
                connection.prepareStatement(
                        "SELECT id, pg_xact_commit_timestamp(xmin) FROM bench.events"
                                + " WHERE id BETWEEN ? AND ?")) {
            query.setLong(1, low);
            query.setLong(2, high);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    var at = rows.getTimestamp(2);
                    if (at != null) {
                        committed.put(rows.getLong(1), Micros.of(at.toInstant()));
                    }
                }
            }
        }
        var corrected = new ArrayList<Commit>(commits.size());
        for (Commit commit : commits) {
            Long at = committed.get(commit.rowId());
            corrected.add(
                    at == null
                            ? commit
                            : new Commit(commit.rowId(), commit.campaignId(), commit.day(), at));
        }
        corrected.sort(Comparator.comparingLong(Commit::committedMicros));
        return List.copyOf(corrected);
    }
}
