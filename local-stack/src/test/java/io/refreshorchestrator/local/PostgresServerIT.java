package io.refreshorchestrator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Lifecycle of a dedicated server: the shared one must keep running for the other tests. */
class PostgresServerIT {

    @Test
    void shouldKeepDataAndPortAcrossStopAndRestart() throws Exception {
        try (var postgres = PostgresServer.start()) {
            // given
            String database = postgres.createDatabase("restart");
            try (Connection connection = postgres.connect(database);
                    var statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (id int PRIMARY KEY)");
                statement.execute("INSERT INTO kept VALUES (1), (2), (3)");
            }
            int port = postgres.port();

            // when
            postgres.stop();

            // then
            assertThat(postgres.isRunning()).isFalse();
            assertThatThrownBy(() -> postgres.connect(database).close())
                    .isInstanceOf(SQLException.class);

            // when
            postgres.restart();

            // then
            assertThat(postgres.isRunning()).isTrue();
            assertThat(postgres.port()).isEqualTo(port);
            try (Connection connection = postgres.connect(database);
                    var statement = connection.createStatement();
                    var rows = statement.executeQuery("SELECT count(*) FROM kept")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(3);
            }
        }
    }

    @Test
    void shouldStopTheServerAndDeleteItsDirectoryOnClose() {
        // given
        var postgres = PostgresServer.start();
        long postmasterPid = postgres.postmasterPid().orElseThrow();

        // when
        postgres.close();

        // then
        assertThat(postgres.isRunning()).isFalse();
        assertThat(ProcessLiveness.isRunning(postmasterPid)).isFalse();
        assertThat(postgres.directory()).doesNotExist();
    }

    @Test
    void shouldExplainAFailedStartWithTheServerLog() {
        var options = PostgresOptions.defaults().withSetting("wal_level", "bogus");

        assertThatThrownBy(() -> PostgresServer.start(options))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PostgreSQL did not start")
                .hasMessageContaining("invalid value for parameter \"wal_level\"");
    }
}
