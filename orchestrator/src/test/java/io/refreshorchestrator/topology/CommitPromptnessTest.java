package io.refreshorchestrator.topology;

import static io.refreshorchestrator.topology.Jobs.ORDERS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/**
 * Under exactly-once a record is seen downstream only once its transaction commits: the router asks
 * for that commit at once for the first change after a quiet spell, and leaves the commit interval
 * alone under load.
 */
class CommitPromptnessTest {

    private static final Duration TICK = Duration.ofMillis(100);
    private static final Instant NOW = Instant.parse("2026-03-02T10:00:01Z");

    private final MockProcessorContext<String, Outcome<JobInput.Change>> context =
            new MockProcessorContext<>();
    private final ChangeRouter router = new ChangeRouter(Jobs.musicShop(), TICK);
    private long offset;

    @Test
    void shouldAskForACommitAtOnceForTheFirstChangeAfterAQuietSpell() {
        // given a router that routed nothing yet
        router.init(context);

        // when one change arrives
        read(NOW);

        // then it is routed and a commit is requested
        assertThat(context.forwarded()).isNotEmpty();
        assertThat(context.committed()).isTrue();
    }

    @Test
    void shouldLeaveTheCommitIntervalAloneWhileChangesFollowEachOtherClosely() {
        // given a change just routed and committed
        router.init(context);
        read(NOW);
        context.resetCommit();

        // when more follow every 10 ms (100 commits/s)
        for (int i = 1; i <= 20; i++) {
            read(NOW.plusMillis(10L * i));
        }

        // then none of them asks for a commit of its own
        assertThat(context.committed()).isFalse();

        // and the first after a quiet spell does again
        read(NOW.plusMillis(200 + TICK.toMillis()));
        assertThat(context.committed()).isTrue();
    }

    private void read(Instant at) {
        context.setRecordMetadata("shop.orders", 0, offset++);
        context.setCurrentSystemTimeMs(at.toEpochMilli());
        router.process(
                new Record<>(
                        "{\"id\":1}".getBytes(StandardCharsets.UTF_8),
                        DebeziumEvent.insertInto(ORDERS).bare().getBytes(StandardCharsets.UTF_8),
                        at.toEpochMilli()));
    }
}
