package io.refreshorchestrator.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's steady write workload: every interval, a short burst of learner activity, each part
 * its own transaction (lesson events; a quiz attempt every other burst; API requests), and the time
 * each commit returned, per table, for the summary's freshness arithmetic.
 */
final class LearnerWorkload implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LearnerWorkload.class);
    static final String LESSON_EVENTS = "learning.lesson_events";
    static final String QUIZ_ATTEMPTS = "learning.quiz_attempts";
    static final String API_REQUESTS = "learning.api_requests";
    private static final String[] ENDPOINTS = {"/lessons", "/quizzes", "/tracks", "/progress"};

    private final String jdbcUrl;
    private final String user;
    private final Duration interval;
    private final List<TableCommit> commits = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(42);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String failure;

    /** One committed transaction on one table; {@code at} is when the commit returned. */
    record TableCommit(String table, Instant at) {}

    private LearnerWorkload(String jdbcUrl, String user, Duration interval) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.interval = interval;
        this.thread = new Thread(this::run, "demo-workload");
        this.thread.setDaemon(true);
    }

    static LearnerWorkload start(String jdbcUrl, String user, Duration interval) {
        var workload = new LearnerWorkload(jdbcUrl, user, interval);
        workload.thread.start();
        return workload;
    }

    /** The commits so far, in commit order. */
    synchronized List<TableCommit> commits() {
        return List.copyOf(commits);
    }

    /** Why writing stopped early, if it did. */
    String failure() {
        return failure;
    }

    private void run() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, "")) {
            connection.setAutoCommit(false);
            long next = System.nanoTime();
            while (running) {
                burst(connection);
                next += interval.toNanos();
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            if (running) {
                failure = e.getMessage();
                LOG.warn("The demo's writes stopped: {}", e.getMessage());
            }
        }
    }

    private void burst(Connection connection) throws SQLException {
        try (PreparedStatement lesson =
                connection.prepareStatement(
                        "INSERT INTO learning.lesson_events (learner_id, track_id, kind)"
                                + " VALUES (?, ?, ?)")) {
            for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                lesson.setLong(1, 1 + random.nextInt(500));
                lesson.setInt(2, 1 + random.nextInt(6));
                lesson.setString(3, random.nextInt(3) == 0 ? "completed" : "started");
                lesson.addBatch();
            }
            lesson.executeBatch();
        }
        commit(connection, LESSON_EVENTS);
        if (random.nextBoolean()) {
            try (PreparedStatement quiz =
                    connection.prepareStatement(
                            "INSERT INTO learning.quiz_attempts"
                                    + " (learner_id, track_id, score, completed)"
                                    + " VALUES (?, ?, ?, ?)")) {
                int score = random.nextInt(101);
                quiz.setLong(1, 1 + random.nextInt(500));
                quiz.setInt(2, 1 + random.nextInt(6));
                quiz.setInt(3, score);
                quiz.setBoolean(4, score >= 40);
                quiz.executeUpdate();
            }
            commit(connection, QUIZ_ATTEMPTS);
        }
        try (PreparedStatement request =
                connection.prepareStatement(
                        "INSERT INTO learning.api_requests (endpoint, status, duration_ms)"
                                + " VALUES (?, ?, ?)")) {
            for (int i = 0, n = 2 + random.nextInt(4); i < n; i++) {
                request.setString(1, ENDPOINTS[random.nextInt(ENDPOINTS.length)]);
                request.setInt(2, random.nextInt(50) == 0 ? 503 : 200);
                request.setInt(3, 5 + random.nextInt(200));
                request.addBatch();
            }
            request.executeBatch();
        }
        commit(connection, API_REQUESTS);
    }

    private void commit(Connection connection, String table) throws SQLException {
        connection.commit();
        var at = Instant.now();
        synchronized (this) {
            commits.add(new TableCommit(table, at));
        }
    }

    /** Stops writing and waits for the writer to finish its burst. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
