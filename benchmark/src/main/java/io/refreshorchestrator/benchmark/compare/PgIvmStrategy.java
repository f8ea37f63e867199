package io.refreshorchestrator.benchmark.compare;

import io.refreshorchestrator.benchmark.compare.WorkloadSchema.ViewKind;
import io.refreshorchestrator.freshness.LagCalculator;
import io.refreshorchestrator.freshness.RefreshRun;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * pg_ivm: the three views over tables as IMMVs, maintained inside each writing transaction (the
 * view built on a view stays a plain view over its IMMV). Its lag is zero by construction; a
 * checker on its own connection measures it anyway, as the time from a commit's return until the
 * row shows in each IMMV (its {@code max_id} reaches the row's id), for the commits that arrive
 * while the checker is idle (a sample).
 */
final class PgIvmStrategy implements Strategy {

    private static final LocalDate FIRST_DAY = LocalDate.of(2026, 1, 1);
    private static final long GIVE_UP_MICROS = 10_000_000;

    private final LinkedBlockingQueue<Commit> toCheck = new LinkedBlockingQueue<>();
    private final Map<String, Map<Long, Long>> visible = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private Connection connection;
    private Thread checker;

    @Override
    public String name() {
        return "pg_ivm";
    }

    @Override
    public String description() {
        return "pg_ivm 1.15 IMMVs, maintained in the writing transaction (top_campaigns: a plain"
                + " view over its IMMV)";
    }

    @Override
    public ViewKind viewKind() {
        return ViewKind.IMMV;
    }

    @Override
    public void start(BenchContext context) throws SQLException {
        for (String view : WorkloadSchema.VIEWS) {
            visible.put(view, new ConcurrentHashMap<>());
        }
        connection = context.connect();
        running.set(true);
        checker = new Thread(this::check, "pg-ivm-visibility");
        checker.setDaemon(true);
        checker.start();
    }

    @Override
    public void onCommit(Commit commit) {
        // sampled: a commit arriving while the checker is busy is not checked, so a slow
        // checker never shows up as lag of the views
        if (toCheck.isEmpty()) {
            toCheck.add(commit);
        }
    }

    private void check() {
        try (PreparedStatement query =
                connection.prepareStatement(
                        "SELECT (SELECT max_id FROM "
                                + WorkloadSchema.BY_DAY
                                + " WHERE day = ?), (SELECT max_id FROM "
                                + WorkloadSchema.BY_CAMPAIGN
                                + " WHERE campaign_id = ?), (SELECT max_id FROM "
                                + WorkloadSchema.BY_CHANNEL
                                + " WHERE channel = ?), (SELECT max(campaign_id) FROM "
                                + WorkloadSchema.TOP_CAMPAIGNS
                                + " WHERE campaign_id = ? AND events > 0)")) {
            while (running.get()) {
                Commit commit = toCheck.poll(100, TimeUnit.MILLISECONDS);
                if (commit != null) {
                    awaitVisible(query, commit);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            if (running.get()) {
                throw new IllegalStateException("The pg_ivm visibility checker failed", e);
            }
        }
    }

    private void awaitVisible(PreparedStatement query, Commit commit) throws SQLException {
        query.setDate(1, Date.valueOf(FIRST_DAY.plusDays(commit.day())));
        query.setInt(2, commit.campaignId());
        query.setString(3, WorkloadSchema.channelOf(commit.campaignId()));
        query.setInt(4, commit.campaignId());
        List<String> views = WorkloadSchema.VIEWS;
        while (running.get()) {
            long seen = Micros.now();
            boolean all = true;
            try (ResultSet row = query.executeQuery()) {
                row.next();
                for (int i = 0; i < 3; i++) {
                    all &= mark(views.get(i), commit, row.getLong(i + 1) >= commit.rowId(), seen);
                }
                all &= mark(views.get(3), commit, row.getObject(4) != null, seen);
            }
            if (all) {
                return;
            }
            if (seen - commit.committedMicros() > GIVE_UP_MICROS) {
                views.forEach(
                        view ->
                                visible.get(view)
                                        .putIfAbsent(commit.rowId(), LagCalculator.UNCOVERED));
                return;
            }
        }
    }

    private boolean mark(String view, Commit commit, boolean isVisible, long seenMicros) {
        if (isVisible) {
            visible.get(view).putIfAbsent(commit.rowId(), seenMicros);
        }
        return visible.get(view).containsKey(commit.rowId());
    }

    @Override
    public List<RefreshRun> runs() {
        return List.of();
    }

    @Override
    public Optional<Map<String, Map<Long, Long>>> visibleAt() {
        return Optional.of(visible);
    }

    /** Whether the checker has caught up with every commit handed to it. */
    boolean caughtUp() {
        return toCheck.isEmpty();
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        if (checker != null) {
            checker.join(30_000);
        }
        if (connection != null) {
            connection.close();
        }
    }
}
