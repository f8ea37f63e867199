package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.local.FreePorts;
import io.refreshorchestrator.local.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration {@code docker-compose.yml} ships works: the packaged jar, run as the image runs
 * it, with the very file compose mounts ({@code examples/local/orchestrator.yml}) and the
 * orchestrator service's environment (only its in-network addresses swapped for this stack's),
 * against a database prepared as the {@code postgres} image prepares it from the compose file,
 * refreshes a change and answers 200 on {@code /health/ready}, also to the image's health probe.
 *
 * <p>No Docker engine is needed: the stack is this project's {@link LocalStack}, a dedicated one,
 * since the example uses fixed names (slot, role, topics) that must not meet other tests' state.
 */
class ComposeConfigIT {

    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final String CONFIG_IN_CONTAINER = "/config/orchestrator.yml";
    private static final Path JAR = Path.of("target", "refresh-orchestrator.jar");
    private static final Path PROBE = ComposeFile.REPOSITORY.resolve("docker/ready-probe.sh");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldRefreshAChangeAndTurnReadyWithTheComposeConfiguration(@TempDir Path dir)
            throws Exception {
        var compose = ComposeFile.read();
        Path config = compose.hostFileMountedAt("orchestrator", CONFIG_IN_CONTAINER);
        int httpPort = FreePorts.pick();
        try (var stack = LocalStack.start()) {
            // given the database the postgres service creates, with the compose file's init scripts
            var postgres = compose.environment("postgres");
            String database = postgres.get("POSTGRES_DB");
            String user = postgres.get("POSTGRES_USER");
            createLikeThePostgresImage(stack, database, user, postgres.get("POSTGRES_PASSWORD"));
            try (var connection = connect(stack, database, user);
                    var statement = connection.createStatement()) {
                for (Path script :
                        compose.hostFilesMountedUnder("postgres", "/docker-entrypoint-initdb.d")
                                .values()) {
                    statement.execute(Files.readString(script));
                }
            }
            // and the orchestrator service's environment, addressed at this stack
            var env = inNetworkAddressesSwapped(compose, stack, httpPort, dir);
            assertThat(probe(httpPort)).as("the probe while nothing listens").isNotZero();

            // when the packaged jar runs the compose configuration
            try (var orchestrator =
                    ChildOrchestrator.startJar(JAR, config, dir.resolve("run.log"), env)) {
                // then /health/ready answers 200, to an HTTP client and to the image's probe
                await("GET /health/ready answers 200; log in " + dir.resolve("run.log"))
                        .atMost(READY)
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .until(() -> readiness(httpPort).statusCode() == 200);
                assertThat(probe(httpPort)).as("exit code of docker/ready-probe.sh").isZero();

                // and a change to a source table is refreshed into the example view
                try (var connection = connect(stack, database, user);
                        var statement = connection.createStatement()) {
                    statement.execute(
                            "INSERT INTO public.plays (track_id, user_id) VALUES (2, 42)");
                }
                await("analytics.popular_tracks shows the new play of track 2")
                        .atMost(scaled(Duration.ofSeconds(60)))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> plays(stack, database, user, 2) == 1);
                assertThat(orchestrator.log())
                        .contains("analytics.popular_tracks")
                        .contains("SUCCEEDED");
            }
        }
    }

    /**
     * The orchestrator service's environment with the values that name the compose network or the
     * container's file system replaced; every other value is applied as compose sets it.
     */
    private static Map<String, String> inNetworkAddressesSwapped(
            ComposeFile compose, LocalStack stack, int httpPort, Path dir) {
        var env = new LinkedHashMap<>(compose.environment("orchestrator"));
        var swapped =
                Map.of(
                        "REFRESH_ORCHESTRATOR_POSTGRES_HOST", stack.postgres().host(),
                        "REFRESH_ORCHESTRATOR_POSTGRES_PORT",
                                String.valueOf(stack.postgres().port()),
                        "REFRESH_ORCHESTRATOR_KAFKA_BOOTSTRAP_SERVERS",
                                stack.kafka().bootstrapServers(),
                        // the container's 0.0.0.0; on this shared machine only loopback
                        "REFRESH_ORCHESTRATOR_HTTP_BIND", "127.0.0.1",
                        "REFRESH_ORCHESTRATOR_HTTP_PORT", String.valueOf(httpPort),
                        "REFRESH_ORCHESTRATOR_STREAMS_STATE_DIR",
                                dir.resolve("streams").toString());
        assertThat(env)
                .as("compose must override every in-network address of the example file")
                .containsKeys(swapped.keySet().toArray(String[]::new));
        env.putAll(swapped);
        return env;
    }

    /** What the postgres image's entrypoint does with POSTGRES_USER, _PASSWORD and _DB. */
    private static void createLikeThePostgresImage(
            LocalStack stack, String database, String user, String password) throws SQLException {
        try (var connection = stack.postgres().connect();
                var statement = connection.createStatement()) {
            statement.execute(
                    "CREATE ROLE \""
                            + user
                            + "\" LOGIN SUPERUSER PASSWORD '"
                            + password.replace("'", "''")
                            + "'");
            statement.execute("CREATE DATABASE \"" + database + "\" OWNER \"" + user + "\"");
        }
    }

    private static Connection connect(LocalStack stack, String database, String user)
            throws SQLException {
        return DriverManager.getConnection(stack.postgres().jdbcUrl(database), user, "");
    }

    private static long plays(LocalStack stack, String database, String user, int trackId)
            throws SQLException {
        try (var connection = connect(stack, database, user);
                var statement =
                        connection.prepareStatement(
                                "SELECT plays FROM analytics.popular_tracks WHERE track_id = ?")) {
            statement.setInt(1, trackId);
            try (var rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : -1;
            }
        }
    }

    private HttpResponse<String> readiness(int port) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Runs the image's health probe against {@code port}; returns its exit code. */
    private static int probe(int port) throws Exception {
        var builder = new ProcessBuilder("bash", PROBE.toString()).redirectErrorStream(true);
        builder.environment().put("REFRESH_ORCHESTRATOR_HTTP_PORT", String.valueOf(port));
        var process = builder.start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("docker/ready-probe.sh did not finish within 30 s");
        }
        return process.exitValue();
    }
}
