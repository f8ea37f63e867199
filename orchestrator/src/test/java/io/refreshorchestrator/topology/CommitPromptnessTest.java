package io.refreshorchestrator.topology;

import static io.refreshorchestrator.topology.Jobs.ORDERS;
import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.events.RefreshCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Under exactly-once a record is seen downstream only once its transaction commits: the router asks
 * for that commit at once for the first change after a quiet spell, and leaves the commit interval
 * alone under load; the debouncer asks for it when it commands a job, at most once per punctuation
 * interval.
 */
class CommitPromptnessTest {

    private static final Duration TICK = Duration.ofMillis(100);
    private static final Instant NOW = Instant.parse("2026-03-02T10:00:01Z");

    private final MockProcessorContext<String, Outcome<JobInput.Change>> context =
            new MockProcessorContext<>();
    private final ChangeRouter router = new ChangeRouter(Jobs.musicShop(), TICK);
    private long offset;

    private final MockProcessorContext<String, RefreshCommand> commandsContext =
            new MockProcessorContext<>();

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

    @Test
    void shouldAskForACommitWhenALeadingEdgeCommandsButNotForEachOfManyAtOnce() {
        // given 20 idle jobs with the leading edge on one table
        var policy = Jobs.policy(Jobs.DEBOUNCE, Jobs.MAX_DELAY).withPacing(1.0, true);
        var jobs = new java.util.ArrayList<io.refreshorchestrator.discovery.JobSpec>();
        for (int i = 0; i < 20; i++) {
            jobs.add(Jobs.job("analytics.v" + i, policy, ORDERS));
        }
        var debouncer = debouncer(JobGraph.of(jobs));
        debouncer.init(commandsContext);

        // when a change reaches the first of them
        commandsContext.setCurrentSystemTimeMs(NOW.toEpochMilli());
        debouncer.process(change("analytics.v0", NOW));

        // then it is commanded and a commit is asked for
        assertThat(commandsContext.forwarded()).hasSize(1);
        assertThat(commandsContext.committed()).isTrue();

        // when the others follow in the same 100 ms
        commandsContext.resetCommit();
        for (int i = 1; i < 20; i++) {
            commandsContext.setCurrentSystemTimeMs(NOW.plusMillis(i).toEpochMilli());
            debouncer.process(change("analytics.v" + i, NOW.plusMillis(i)));
        }

        // then each is commanded, riding on the commit already asked for
        assertThat(commandsContext.forwarded()).hasSize(20);
        assertThat(commandsContext.committed()).isFalse();
    }

    private Debouncer debouncer(JobGraph graph) {
        List.of(
                        Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(RefreshTopology.PENDING_STORE),
                                Serdes.String(),
                                RefreshTopology.PENDING_SERDE),
                        Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(RefreshTopology.JOB_STATE_STORE),
                                Serdes.String(),
                                RefreshTopology.JOB_STATE_SERDE),
                        Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(RefreshTopology.DUE_INDEX_STORE),
                                Serdes.Bytes(),
                                Serdes.String()),
                        Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(RefreshTopology.SCHEDULE_INDEX_STORE),
                                Serdes.Bytes(),
                                Serdes.String()))
                .forEach(
                        builder -> {
                            KeyValueStore<?, ?> store = builder.withLoggingDisabled().build();
                            store.init(commandsContext.getStateStoreContext(), store);
                            commandsContext.addStateStore(store);
                        });
        return new Debouncer(graph, TICK, 1);
    }

    private static Record<String, JobInput> change(String job, Instant at) {
        var change = new TableChange(ORDERS, at.minusMillis(50), 7L, 100L);
        return new Record<>(job, JobInput.Change.of(change), at.toEpochMilli());
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
