package io.refreshorchestrator.cdc;

import static io.refreshorchestrator.cdc.CaptureFixture.timeout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time passes between a change and a restart: the captured tables stay quiet for several heartbeat
 * intervals while the replication slot moves on, then capture restarts. It must resume from its
 * stored position without a capture reset, and the next change must be captured.
 */
@ExtendWith(LocalStackExtension.class)
class QuietSpellIT {

    private static final Logger LOG = LoggerFactory.getLogger(QuietSpellIT.class);

    private CaptureFixture fixture;
    private TopicTail plays;

    @BeforeEach
    void createWorld(LocalStack stack) {
        fixture = new CaptureFixture(stack, "quiet_it");
        fixture.sql(
                "CREATE TABLE public.plays (id bigint PRIMARY KEY, track text NOT NULL)",
                "CREATE TABLE public.audit (id bigserial PRIMARY KEY, note text)");
    }

    @AfterEach
    void closeWorld() {
        if (plays != null) {
            plays.close();
        }
        fixture.close();
    }

    @Test
    void shouldResumeWithoutResetAfterAQuietSpellAndARestart() throws Exception {
        // given: one change captured, then the captured table stays quiet while the slot moves on
        var settings = fixture.settings("public.plays").build();
        var first = fixture.start(settings);
        first.awaitStreaming(timeout(90));
        plays =
                new TopicTail(
                        fixture.stack.kafka().bootstrapServers(), settings.changeTopics().get(0));
        fixture.sql("INSERT INTO public.plays (id, track) VALUES (1, 'before the quiet spell')");
        plays.awaitCount(1, timeout(30));
        // the rest of the database writes on (a refresh does, for one), the captured table not
        fixture.sql("INSERT INTO public.audit (note) VALUES ('not captured')");
        awaitSlotRestartPast(settings.slotName(), currentWalLsn());

        // when: capture restarts
        first.close();
        var second = fixture.start(settings);
        second.awaitStreaming(timeout(90));
        fixture.sql("INSERT INTO public.plays (id, track) VALUES (2, 'after the restart')");

        // then: the next change is captured and no capture reset was signalled
        plays.awaitRecords("row 2", timeout(30), all -> CdcListenerIT.afterIds(all).contains(2L));
        assertThat(reasons(settings)).containsExactly("SLOT_CREATED");
    }

    private List<String> reasons(CdcSettings settings) {
        return fixture.values(settings.signalsTopic()).stream()
                .map(signal -> signal.get("reason").asText())
                .toList();
    }

    private long currentWalLsn() throws Exception {
        try (var connection = fixture.connect();
                var statement = connection.createStatement();
                var result =
                        statement.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
            result.next();
            return result.getLong(1);
        }
    }

    /**
     * The quiet spell lasts until the slot's restart LSN reached {@code lsn}, WAL written after the
     * last captured change: from then on the WAL of that change may be recycled.
     */
    private void awaitSlotRestartPast(String slot, long lsn) {
        await(
                        "slot "
                                + slot
                                + " restart_lsn past the WAL written after the last change ("
                                + lsn
                                + ")")
                .atMost(timeout(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            try (var connection = fixture.connect();
                                    var statement =
                                            connection.prepareStatement(
                                                    "SELECT restart_lsn - '0/0'::pg_lsn,"
                                                            + " confirmed_flush_lsn::text"
                                                            + " FROM pg_replication_slots WHERE slot_name = ?")) {
                                statement.setString(1, slot);
                                try (var result = statement.executeQuery()) {
                                    if (!result.next()) {
                                        return false;
                                    }
                                    long restart = result.getLong(1);
                                    LOG.info(
                                            "slot {}: restart_lsn {} confirmed_flush_lsn {}, last change {}",
                                            slot,
                                            restart,
                                            result.getString(2),
                                            lsn);
                                    return restart >= lsn;
                                }
                            }
                        });
    }
}
