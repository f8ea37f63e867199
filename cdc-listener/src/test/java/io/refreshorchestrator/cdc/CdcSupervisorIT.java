package io.refreshorchestrator.cdc;

import static io.refreshorchestrator.cdc.CaptureFixture.timeout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Capture outlives a database that goes away: the supervisor brings the listener back. */
@ExtendWith(LocalStackExtension.class)
class CdcSupervisorIT {

    private CaptureFixture fixture;
    private CdcSupervisor supervisor;
    private TopicTail plays;

    @BeforeEach
    void createWorld(LocalStack stack) {
        fixture = new CaptureFixture(stack, "cdc_sup");
        fixture.sql("CREATE TABLE public.plays (id bigint PRIMARY KEY, track text NOT NULL)");
    }

    @AfterEach
    void closeWorld() {
        if (plays != null) {
            plays.close();
        }
        if (supervisor != null) {
            supervisor.close();
        }
        fixture.close();
    }

    @Test
    void shouldResumeCaptureAfterPostgresRestartsWithoutLosingChanges(LocalStack stack)
            throws Exception {
        // given: capture streaming, one change captured
        var settings = fixture.settings("public.plays").build();
        supervisor = new CdcSupervisor(settings, Duration.ofMillis(200), Duration.ofSeconds(2));
        supervisor.start();
        assertThat(supervisor.awaitStreaming(timeout(90))).as("streaming").isTrue();
        plays = new TopicTail(stack.kafka().bootstrapServers(), settings.changeTopics().get(0));
        fixture.sql("INSERT INTO public.plays (id, track) VALUES (1, 'before the outage')");
        plays.awaitCount(1, timeout(30));

        // when: the database goes away and comes back
        // (Debezium may ride out the outage itself or fail; either way capture must come back)
        stack.postgres().stop();
        stack.postgres().restart();
        fixture.sql("INSERT INTO public.plays (id, track) VALUES (2, 'after the outage')");

        // then: the change committed after the restart is captured, nothing earlier is lost
        var ids =
                plays.awaitCount(2, timeout(120)).stream()
                        .map(record -> CaptureFixture.parse(record.value()))
                        .map(event -> event.get("after").get("id").asLong())
                        .distinct()
                        .toList();
        assertThat(ids).containsExactly(1L, 2L);
        await("capture streaming again").atMost(timeout(60)).until(supervisor::isStreaming);
    }
}
