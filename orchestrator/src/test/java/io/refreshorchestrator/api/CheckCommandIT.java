package io.refreshorchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.refreshorchestrator.events.Json;
import io.refreshorchestrator.local.LocalStackExtension;
import io.refreshorchestrator.local.PostgresOptions;
import io.refreshorchestrator.local.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} and the refusal of {@code run} against real PostgreSQL servers: the shared one
 * (wal_level=logical) and a dedicated one with wal_level=replica and no room for replication.
 */
@ExtendWith(LocalStackExtension.class)
class CheckCommandIT {

    private static final String SCHEMA =
            """
            CREATE SCHEMA app;
            CREATE TABLE app.plays (id bigint PRIMARY KEY, track int NOT NULL);
            CREATE MATERIALIZED VIEW app.play_counts AS
              SELECT track, count(*) AS n FROM app.plays GROUP BY track;
            """;

    @TempDir Path dir;
    private final String id = "pf" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void shouldPassEveryCheckForAFullyPrivilegedRole(PostgresServer postgres) throws Exception {
        // given: the superuser on a database with wal_level=logical
        var database = database(postgres);

        // when
        var text = CliRun.of("check", "--config", config(postgres, database, postgres.user()));
        var json =
                CliRun.of(
                        "check",
                        "--config",
                        config(postgres, database, postgres.user()),
                        "--format",
                        "json");

        // then
        assertThat(text.exitCode()).as(text.both()).isZero();
        assertThat(text.out())
                .contains("OK       wal_level: logical")
                .contains("OK       replication slots:")
                .contains("OK       WAL senders:")
                .contains("OK       replication: role \"postgres\" is a superuser")
                .contains("OK       table app.plays:")
                .contains("OK       publication:")
                .contains("OK       refresh app.play_counts:")
                .contains("OK       state schema refresh_orchestrator:")
                .doesNotContain("MISSING");
        assertThat(json.exitCode()).as(json.both()).isZero();
        JsonNode document = Json.mapper().readTree(json.out());
        assertThat(document.get("ready").asBoolean()).isTrue();
        assertThat(document.get("checks")).hasSize(8);
    }

    @Test
    void shouldNameWhatALeastPrivilegedRoleLacksWithStatementsThatFixIt(PostgresServer postgres)
            throws Exception {
        // given: a login role that owns nothing and has no REPLICATION
        var database = database(postgres);
        var role = id + "_plain";
        sql(postgres, database, "CREATE ROLE " + role + " LOGIN");
        var config = config(postgres, database, role);

        // when
        var run = CliRun.of("check", "--config", config);

        // then: each missing item with its fix
        assertThat(run.exitCode()).as(run.both()).isEqualTo(2);
        assertThat(run.out())
                .contains("OK       wal_level: logical")
                .contains("MISSING  replication: role \"" + role + "\" may not stream changes")
                .contains("fix: ALTER ROLE \"" + role + "\" WITH REPLICATION;")
                .contains("MISSING  publication: \"refresh_orchestrator\" does not exist")
                .contains("fix: GRANT CREATE ON DATABASE \"" + database + "\" TO \"" + role + "\";")
                .contains(
                        "ALTER TABLE \"app\".\"plays\" OWNER TO \""
                                + role
                                + "\"; -- as \"postgres\" or a superuser")
                .contains(
                        "MISSING  refresh app.play_counts: role \""
                                + role
                                + "\" may not refresh it")
                .contains(
                        "ALTER MATERIALIZED VIEW \"app\".\"play_counts\" OWNER TO \""
                                + role
                                + "\";")
                .contains("GRANT USAGE ON SCHEMA \"app\" TO \"" + role + "\";")
                .contains("MISSING  state schema refresh_orchestrator: does not exist")
                .contains("CREATE SCHEMA \"refresh_orchestrator\" AUTHORIZATION \"" + role + "\";")
                .contains("checks MISSING");

        // and when a superuser runs the statements shown (not the alternatives)
        JsonNode document =
                Json.mapper()
                        .readTree(CliRun.of("check", "--config", config, "--format", "json").out());
        var fixes = new ArrayList<String>();
        for (JsonNode check : document.get("checks")) {
            if (check.get("status").asText().equals("MISSING")) {
                for (var line : check.get("fix").asText().split("\n")) {
                    if (!line.contains("-- or this instead")) {
                        fixes.add(line);
                    }
                }
            }
        }
        sql(postgres, database, String.join("\n", fixes));

        // then every check passes
        var fixed = CliRun.of("check", "--config", config);
        assertThat(fixed.exitCode()).as(fixes + "\n" + fixed.both()).isZero();
    }

    @Test
    void shouldAcceptAPublicationTheOwnerCreatedAndNameAnotherOwnersPublication(
            PostgresServer postgres) throws Exception {
        // given: a REPLICATION role, the publication created by the tables' owner
        var database = database(postgres);
        var role = id + "_repl";
        sql(
                postgres,
                database,
                "CREATE ROLE "
                        + role
                        + " LOGIN REPLICATION;"
                        + " CREATE PUBLICATION refresh_orchestrator FOR TABLE app.plays;");

        // when / then: it lists the table already, nothing needs changing
        var run = CliRun.of("check", "--config", config(postgres, database, role));
        assertThat(run.out())
                .as(run.both())
                .contains(
                        "OK       replication: role \"" + role + "\" has the REPLICATION attribute")
                .contains(
                        "OK       publication: \"refresh_orchestrator\" lists exactly the captured");

        // given: the publication lists another table the role would have to remove
        sql(
                postgres,
                database,
                "CREATE TABLE app.other (id int PRIMARY KEY);"
                        + " ALTER PUBLICATION refresh_orchestrator ADD TABLE app.other;");

        // then: its owner is named, with the statement
        var altered = CliRun.of("check", "--config", config(postgres, database, role));
        assertThat(altered.exitCode()).as(altered.both()).isEqualTo(2);
        assertThat(altered.out())
                .contains("MISSING  publication: \"refresh_orchestrator\" must change")
                .contains(
                        "fix: ALTER PUBLICATION \"refresh_orchestrator\" OWNER TO \""
                                + role
                                + "\"; -- as \"postgres\" or a superuser")
                .contains(
                        "ALTER PUBLICATION \"refresh_orchestrator\" SET TABLE \"app\".\"plays\";");
    }

    @Test
    void shouldReportWalLevelSlotsAndSendersAndRunShouldRefuseToStart() throws Exception {
        // given: a server that cannot serve logical replication, with its one slot taken
        var options =
                PostgresOptions.defaults()
                        .withSetting("wal_level", "replica")
                        .withSetting("max_replication_slots", "1")
                        .withSetting("max_wal_senders", "0");
        try (var postgres = PostgresServer.start(options)) {
            var database = database(postgres);
            sql(postgres, database, "SELECT pg_create_physical_replication_slot('other_slot')");
            var config = config(postgres, database, postgres.user());

            // when
            var check = CliRun.of("check", "--config", config);

            // then
            assertThat(check.exitCode()).as(check.both()).isEqualTo(2);
            var walLevel =
                    "MISSING  wal_level: is 'replica'; logical decoding needs 'logical'\n"
                            + "         fix: ALTER SYSTEM SET wal_level = logical;";
            assertThat(check.out())
                    .contains(walLevel)
                    .contains("MISSING  replication slots: 1 of max_replication_slots 1 in use")
                    .contains("fix: ALTER SYSTEM SET max_replication_slots = 2;")
                    .contains("SELECT pg_drop_replication_slot('other_slot');")
                    .contains("MISSING  WAL senders: 0 of max_wal_senders 0 in use")
                    .contains("fix: ALTER SYSTEM SET max_wal_senders = 1;");

            // and run refuses before starting anything, with the same lines
            var run =
                    assertTimeoutPreemptively(
                            Duration.ofSeconds(60), () -> CliRun.of("run", "--config", config));
            assertThat(run.exitCode()).as(run.both()).isEqualTo(2);
            assertThat(run.err())
                    .contains("is not ready for change capture (3 problem(s); retrying cannot fix")
                    .contains(walLevel)
                    .contains("fix: ALTER SYSTEM SET max_replication_slots = 2;")
                    .contains("fix: ALTER SYSTEM SET max_wal_senders = 1;")
                    .doesNotContain("publication:");
        }
    }

    @Test
    void shouldCountTheListenersOwnSlotAndSenderAsAvailable() throws Exception {
        // given: room for one slot and one sender, both taken by a slot streaming now
        var options =
                PostgresOptions.defaults()
                        .withSetting("max_replication_slots", "1")
                        .withSetting("max_wal_senders", "1");
        try (var postgres = PostgresServer.start(options)) {
            var database = database(postgres);
            sql(postgres, database, "CREATE PUBLICATION refresh_orchestrator FOR TABLE app.plays");
            // in a transaction of its own: a slot is never created after writes
            sql(
                    postgres,
                    database,
                    "SELECT pg_create_logical_replication_slot('own_slot', 'pgoutput')");
            try (var reader =
                    SlotReader.start(postgres, database, "own_slot", "refresh_orchestrator")) {

                // when: the slot is this configuration's
                var own =
                        CliRun.of(
                                "check",
                                "--config",
                                config(postgres, database, postgres.user(), "own_slot"));

                // then: a restart reuses both
                assertThat(own.exitCode()).as(own.both()).isZero();
                assertThat(own.out())
                        .contains(
                                "OK       replication slots: slot 'own_slot' exists and is reused"
                                        + " (1 of max_replication_slots 1 in use)")
                        .contains("OK       WAL senders: 1 of max_wal_senders 1 in use");

                // when: it is another configuration's
                var other =
                        CliRun.of(
                                "check",
                                "--config",
                                config(postgres, database, postgres.user(), "new_slot"));

                // then
                assertThat(other.exitCode()).as(other.both()).isEqualTo(2);
                assertThat(other.out())
                        .contains("MISSING  replication slots: 1 of max_replication_slots 1 in use")
                        .contains("MISSING  WAL senders: 1 of max_wal_senders 1 in use")
                        .contains("fix: ALTER SYSTEM SET max_wal_senders = 2;");
            }
        }
    }

    private String database(PostgresServer postgres) throws SQLException {
        var database = postgres.createDatabase("preflight");
        sql(postgres, database, SCHEMA);
        return database;
    }

    private static void sql(PostgresServer postgres, String database, String sql)
            throws SQLException {
        try (var connection = postgres.connect(database)) {
            connection.createStatement().execute(sql);
        }
    }

    private String config(PostgresServer postgres, String database, String user)
            throws java.io.IOException {
        return config(postgres, database, user, id);
    }

    private String config(PostgresServer postgres, String database, String user, String slot)
            throws java.io.IOException {
        var file = Files.createTempFile(dir, "check", ".yml");
        Files.writeString(
                file,
                """
                postgres:
                  host: %s
                  port: %d
                  database: %s
                  user: %s
                discovery:
                  schemas: [app]
                cdc:
                  slot: %s
                """
                        .formatted(postgres.host(), postgres.port(), database, user, slot));
        return file.toString();
    }
}
