package io.refreshorchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.local.LocalStackExtension;
import io.refreshorchestrator.local.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code uninstall} against a real PostgreSQL holding a slot, a publication and a state schema. */
@ExtendWith(LocalStackExtension.class)
class UninstallCommandIT {

    @TempDir Path dir;
    private final String id = "un" + UUID.randomUUID().toString().substring(0, 8);
    private final String slot = id + "_slot";
    private final String publication = id + "_pub";
    private final String schema = id + "_state";

    @Test
    void shouldDropSlotAndPublicationOnlyWhenConfirmedThenStateWithTheFlagAndBeIdempotent(
            PostgresServer postgres) throws Exception {
        // given: what a run leaves behind
        var database = install(postgres);
        var config = config(postgres, database);

        // when: no terminal, no --yes
        var unconfirmed = CliRun.of("uninstall", "--config", config);

        // then: the plan, and nothing dropped
        assertThat(unconfirmed.exitCode()).as(unconfirmed.both()).isEqualTo(2);
        assertThat(unconfirmed.out())
                .contains("- replication slot '" + slot + "' (database " + database)
                .contains("of WAL")
                .contains("- publication '" + publication + "' (app.plays)");
        assertThat(unconfirmed.err()).contains("nothing dropped");
        assertThat(slotExists(postgres, database)).isTrue();
        assertThat(publicationExists(postgres, database)).isTrue();

        // when: confirmed
        var dropped = CliRun.of("uninstall", "--config", config, "--yes");

        // then: slot and publication gone, the state schema kept
        assertThat(dropped.exitCode()).as(dropped.both()).isZero();
        assertThat(dropped.out()).contains("Dropped.");
        assertThat(slotExists(postgres, database)).isFalse();
        assertThat(publicationExists(postgres, database)).isFalse();
        assertThat(count(postgres, database, "pg_namespace WHERE nspname = '" + schema + "'"))
                .isEqualTo(1);

        // when: with --drop-state
        var state = CliRun.of("uninstall", "--config", config, "--yes", "--drop-state");

        // then: the schema is named with what it holds, and dropped
        assertThat(state.exitCode()).as(state.both()).isZero();
        assertThat(state.out())
                .contains("- schema '" + schema + "' CASCADE, with everything in it:")
                .contains("table " + schema + ".last_success")
                .contains("dependent view app.last_runs");
        assertThat(count(postgres, database, "pg_namespace WHERE nspname = '" + schema + "'"))
                .isZero();

        // when: again
        var again = CliRun.of("uninstall", "--config", config, "--yes", "--drop-state");

        // then: nothing left, which is fine
        assertThat(again.exitCode()).as(again.both()).isZero();
        assertThat(again.out()).startsWith("Nothing to drop: no replication slot '" + slot + "'");
    }

    @Test
    void shouldRefuseWhileTheSlotIsStreamingNamingThePid(PostgresServer postgres) throws Exception {
        // given: capture streaming from the slot
        var database = install(postgres);
        try (var reader = SlotReader.start(postgres, database, slot, publication)) {

            // when
            var run = CliRun.of("uninstall", "--config", config(postgres, database), "--yes");

            // then
            assertThat(run.exitCode()).as(run.both()).isEqualTo(1);
            assertThat(run.err())
                    .contains(
                            "Replication slot '"
                                    + slot
                                    + "' is in use by PostgreSQL process "
                                    + reader.pid())
                    .contains("nothing was dropped");
            assertThat(slotExists(postgres, database)).isTrue();
            assertThat(publicationExists(postgres, database)).isTrue();
        }
    }

    private String install(PostgresServer postgres) throws SQLException {
        var database = postgres.createDatabase("uninstall");
        sql(
                postgres,
                database,
                """
                CREATE SCHEMA app;
                CREATE TABLE app.plays (id bigint PRIMARY KEY, track int NOT NULL);
                CREATE MATERIALIZED VIEW app.play_counts AS
                  SELECT track, count(*) AS n FROM app.plays GROUP BY track;
                CREATE PUBLICATION %2$s FOR TABLE app.plays;
                CREATE SCHEMA %3$s;
                CREATE TABLE %3$s.last_success (job text PRIMARY KEY);
                CREATE VIEW app.last_runs AS SELECT job FROM %3$s.last_success;
                """
                        .formatted(slot, publication, schema));
        sql(
                postgres,
                database,
                "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
        return database;
    }

    private boolean slotExists(PostgresServer postgres, String database) throws SQLException {
        return count(postgres, database, "pg_replication_slots WHERE slot_name = '" + slot + "'")
                == 1;
    }

    private boolean publicationExists(PostgresServer postgres, String database)
            throws SQLException {
        return count(postgres, database, "pg_publication WHERE pubname = '" + publication + "'")
                == 1;
    }

    private static long count(PostgresServer postgres, String database, String fromWhere)
            throws SQLException {
        try (var connection = postgres.connect(database);
                var result =
                        connection
                                .createStatement()
                                .executeQuery("SELECT count(*) FROM " + fromWhere)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static void sql(PostgresServer postgres, String database, String sql)
            throws SQLException {
        try (var connection = postgres.connect(database)) {
            connection.createStatement().execute(sql);
        }
    }

    private String config(PostgresServer postgres, String database) throws IOException {
        var file = Files.createTempFile(dir, "uninstall", ".yml");
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
                  publication: %s
                executor:
                  state-schema: %s
                """
                        .formatted(
                                postgres.host(),
                                postgres.port(),
                                database,
                                postgres.user(),
                                slot,
                                publication,
                                schema));
        return file.toString();
    }
}
