package io.refreshorchestrator.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refreshorchestrator.local.LocalStackExtension;
import io.refreshorchestrator.local.PostgresServer;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The publication follows the table list, and a missing privilege is named with its fix. */
@ExtendWith(LocalStackExtension.class)
class PublicationManagerIT {

    private static final CapturedTable T1 = new CapturedTable("public", "t1");
    private static final CapturedTable T2 = new CapturedTable("public", "t2");

    @Test
    void shouldSetTheTableListAndNameWhatAnotherRoleNeedsToAlterIt(PostgresServer postgres)
            throws SQLException {
        // given: a publication for t1, owned by the superuser
        var database = postgres.createDatabase("publication");
        var publication = "pub_" + UUID.randomUUID().toString().substring(0, 8);
        var role = publication + "_capture";
        try (var owner = postgres.connect(database)) {
            owner.createStatement()
                    .execute(
                            """
                            CREATE TABLE public.t1 (id int PRIMARY KEY);
                            CREATE TABLE public.t2 (id int PRIMARY KEY);
                            CREATE ROLE %s LOGIN REPLICATION;
                            """
                                    .formatted(role));
            PublicationManager.ensure(owner, publication, List.of(T1));

            // when: the job graph changed, t1 is out and t2 in
            var outcome = PublicationManager.ensure(owner, publication, List.of(T2));

            // then
            assertThat(outcome.changed()).isTrue();
            assertThat(outcome.added()).containsExactly(T2);
            assertThat(PublicationManager.members(owner, publication)).containsExactly(T2);
        }

        // and a role owning neither the publication nor the tables is told what it needs
        var props = new Properties();
        props.setProperty("user", role);
        try (var capture = DriverManager.getConnection(postgres.jdbcUrl(database), props)) {
            assertThatThrownBy(
                            () -> PublicationManager.ensure(capture, publication, List.of(T1, T2)))
                    .isInstanceOf(CdcException.class)
                    .hasMessageContaining("ALTER PUBLICATION " + publication + " OWNER TO")
                    .hasMessageContaining("ALTER TABLE ... OWNER TO")
                    .hasMessageContaining("ALTER PUBLICATION \"" + publication + "\" SET TABLE");
        }
    }
}
