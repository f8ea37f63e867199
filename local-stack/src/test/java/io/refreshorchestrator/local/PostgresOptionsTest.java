package io.refreshorchestrator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PostgresOptionsTest {

    @Test
    void shouldEnableLogicalDecodingOnLoopbackWithoutFsyncByDefault() {
        assertThat(PostgresOptions.defaults().serverSettings())
                .containsEntry("listen_addresses", "127.0.0.1")
                .containsEntry("wal_level", "logical")
                .containsEntry("max_wal_senders", "16")
                .containsEntry("max_replication_slots", "16")
                .containsEntry("fsync", "off");
    }

    @Test
    void shouldKeepFsyncWhenDurable() {
        assertThat(PostgresOptions.defaults().withDurable(true).serverSettings())
                .containsEntry("fsync", "on");
    }

    @Test
    void shouldLetExtraSettingsOverrideTheDefaults() {
        // given
        var options =
                PostgresOptions.defaults()
                        .withSetting("max_replication_slots", "32")
                        .withSetting("max_connections", "200");

        // when
        var settings = options.serverSettings();

        // then
        assertThat(settings)
                .containsEntry("max_replication_slots", "32")
                .containsEntry("max_connections", "200");
    }

    @Test
    void shouldRenderThePgCtlOptionsWithPortSocketDirectoryAndSettings() {
        // when
        String arguments = PostgresOptions.defaults().serverArguments(5433, Path.of("/tmp/pg-1"));

        // then
        assertThat(arguments)
                .isEqualTo(
                        "-p 5433 -k /tmp/pg-1 -c listen_addresses=127.0.0.1 -c wal_level=logical"
                                + " -c max_wal_senders=16 -c max_replication_slots=16 -c fsync=off");
    }

    @Test
    void shouldShellQuoteValuesThatNeedIt() {
        // given
        var options = PostgresOptions.defaults().withSetting("application_name", "it's a test");

        // when
        String arguments = options.serverArguments(5433, Path.of("/tmp/my dir"));

        // then
        assertThat(arguments)
                .startsWith("-p 5433 -k '/tmp/my dir' ")
                .endsWith(" -c 'application_name=it'\\''s a test'");
    }

    @Test
    void shouldRejectSomethingThatIsNotASettingName() {
        assertThatThrownBy(() -> PostgresOptions.defaults().withSetting("fsync=on -c x", "y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Not a PostgreSQL setting name");
    }
}
