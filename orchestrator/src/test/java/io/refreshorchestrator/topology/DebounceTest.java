package io.refreshorchestrator.topology;

import static io.refreshorchestrator.topology.Jobs.DAILY_SALES;
import static io.refreshorchestrator.topology.Jobs.ORDERS;
import static io.refreshorchestrator.topology.Jobs.PLAYS;
import static io.refreshorchestrator.topology.Jobs.POPULAR_TRACKS;
import static io.refreshorchestrator.topology.Jobs.TRACKS;
import static io.refreshorchestrator.topology.TopologyHarness.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.events.ChangeSummary;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Debounce: one command per burst of changes, after a quiet period, within the max delay. */
class DebounceTest {

    private static final Duration TICK = Duration.ofMillis(100);

    @Test
    void shouldEmitOneRefreshAfterQuietPeriod() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given three orders within 400 ms; the debounce is 1 s
            topology.insert(ORDERS);
            topology.advanceInSteps(Duration.ofMillis(200), TICK);
            topology.insert(ORDERS);
            topology.advanceInSteps(Duration.ofMillis(200), TICK);
            topology.insert(ORDERS);

            // when the quiet period has not yet passed since the last one
            topology.advanceInSteps(Duration.ofMillis(900), TICK);

            // then nothing is emitted yet
            assertThat(topology.commands()).isEmpty();

            // when it has
            topology.advanceInSteps(Duration.ofMillis(100), TICK);

            // then exactly one command covers all three, keyed by the job
            List<TestRecord<String, RefreshCommand>> records = topology.commandRecords();
            assertThat(records).hasSize(1);
            RefreshCommand command = records.get(0).value();
            assertThat(records.get(0).key()).isEqualTo(DAILY_SALES);
            assertThat(command.job()).isEqualTo(DAILY_SALES);
            assertThat(command.reason()).isEqualTo(Reason.DATA_CHANGE);
            assertThat(command.requestedBy()).isEqualTo("refresh-orchestrator");
            assertThat(command.requestedAt()).isEqualTo(START.plusMillis(1400));
            assertThat(command.changes().count()).isEqualTo(3);
            assertThat(command.id()).isNotNull();

            // and nothing more follows, nor stays pending
            topology.advanceInSteps(Duration.ofSeconds(10), TICK);
            assertThat(topology.commands()).isEmpty();
            assertThat(count(topology.pending().all())).isZero();
            assertThat(count(topology.dueIndex().all())).isZero();
            // and an idle job without leading edge, budget or target lag keeps no state at all
            assertThat(count(topology.jobStates().all())).isZero();
        }
    }

    @Test
    void shouldNeverDelayBeyondMaxDelay() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given an order every 50 ms for 12 s: never a quiet second (max delay is 5 s)
            int changes = 0;
            List<RefreshCommand> commands = new ArrayList<>();
            while (topology.now().isBefore(START.plusSeconds(12))) {
                topology.insert(ORDERS);
                changes++;
                topology.advanceInSteps(Duration.ofMillis(50), TICK);
                commands.addAll(topology.commands());
            }

            // when the changes stop and the quiet period passes
            topology.advanceInSteps(Duration.ofSeconds(2), TICK);
            commands.addAll(topology.commands());

            // then a command came every max delay, none later than max delay + one punctuation
            // after its first change, and together they cover every change once
            assertThat(commands)
                    .extracting(RefreshCommand::requestedAt)
                    .containsExactly(
                            START.plusSeconds(5), START.plusSeconds(10), START.plusSeconds(13));
            for (RefreshCommand command : commands) {
                Duration lag =
                        Duration.between(command.changes().firstChangeAt(), command.requestedAt());
                assertThat(lag).isLessThanOrEqualTo(Jobs.MAX_DELAY.plus(TICK));
            }
            assertThat(commands.stream().mapToLong(c -> c.changes().count()).sum())
                    .isEqualTo(changes);
        }
    }

    @Test
    void shouldKeepJobsIndependent() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given an order now and a play 600 ms later: two jobs, one change each
            topology.insert(ORDERS);
            topology.advanceInSteps(Duration.ofMillis(600), TICK);
            topology.insert(PLAYS);

            // when the first job's quiet period has passed
            topology.advanceInSteps(Duration.ofMillis(400), TICK);

            // then only the first job is refreshed; the later change did not delay it
            assertThat(topology.commands())
                    .singleElement()
                    .satisfies(command -> assertThat(command.job()).isEqualTo(DAILY_SALES));

            // when the second job's quiet period has passed too
            topology.advanceInSteps(Duration.ofMillis(600), TICK);

            // then the second job is refreshed with only its own change
            assertThat(topology.commands())
                    .singleElement()
                    .satisfies(
                            command -> {
                                assertThat(command.job()).isEqualTo(POPULAR_TRACKS);
                                assertThat(command.changes().tables())
                                        .containsExactly("public.plays");
                                assertThat(command.requestedAt()).isEqualTo(START.plusMillis(1600));
                            });
        }
    }

    @Test
    void shouldFoldChangesIntoTheSummary() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given three changes to popular_tracks' tables; the last to arrive is not the
            // latest in the WAL (it came through another topic)
            Instant t = START;
            topology.change(TRACKS, event(TRACKS, t.minusMillis(300), 501, 1_000));
            topology.change(PLAYS, event(PLAYS, t.minusMillis(100), 503, 3_000));
            topology.change(TRACKS, event(TRACKS, t.minusMillis(200), 502, 2_000));

            // when the job is due
            topology.advanceInSteps(Duration.ofSeconds(1), TICK);

            // then its command sums them up: latest transaction by LSN, not by arrival
            RefreshCommand command =
                    topology.commands().stream()
                            .filter(c -> c.job().equals(POPULAR_TRACKS))
                            .findFirst()
                            .orElseThrow();
            assertThat(command.changes())
                    .isEqualTo(
                            new ChangeSummary(
                                    3,
                                    List.of("public.plays", "public.tracks"),
                                    t.minusMillis(300),
                                    t.minusMillis(100),
                                    503L,
                                    3_000L));
        }
    }

    @Test
    void shouldTouchOnlyDueJobs() {
        // given a job with a 1 s debounce and one with 30 s, each with a change
        JobGraph graph =
                JobGraph.of(
                        List.of(
                                Jobs.job(
                                        DAILY_SALES,
                                        Jobs.policy(Duration.ofSeconds(1), Duration.ofSeconds(5)),
                                        ORDERS),
                                Jobs.job(
                                        POPULAR_TRACKS,
                                        Jobs.policy(Duration.ofSeconds(30), Duration.ofSeconds(60)),
                                        PLAYS)));
        try (var topology = new TopologyHarness(graph)) {
            topology.insert(ORDERS);
            topology.insert(PLAYS);
            PendingChanges slowJob = topology.pending().get(POPULAR_TRACKS);

            // when the punctuations run past the first deadline only
            topology.advanceInSteps(Duration.ofSeconds(2), TICK);

            // then only the due job is emitted and removed; the other's entry and its index
            // entry are exactly as they were
            assertThat(topology.commands())
                    .extracting(RefreshCommand::job)
                    .containsExactly(DAILY_SALES);
            assertThat(topology.pending().get(DAILY_SALES)).isNull();
            assertThat(topology.pending().get(POPULAR_TRACKS)).isEqualTo(slowJob);
            List<Bytes> indexKeys = new ArrayList<>();
            topology.dueIndex().all().forEachRemaining(entry -> indexKeys.add(entry.key));
            assertThat(indexKeys)
                    .containsExactly(
                            DueIndex.key(slowJob.deadline().toEpochMilli(), POPULAR_TRACKS));
            assertThat(slowJob.deadline()).isEqualTo(START.plusSeconds(30));
        }
    }

    @Test
    void shouldCommandAPendingEntryRestoredWithoutItsIndexEntry() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given a pending change as a restart restores it from the changelog: the due index
            // has no changelog, so nothing indexes it
            var change = new TableChange(ORDERS, START, 7L, 42L);
            var pending =
                    PendingChanges.first(change, START, Jobs.policy(Jobs.DEBOUNCE, Jobs.MAX_DELAY));
            topology.pending().put(DAILY_SALES, pending);
            assertThat(count(topology.dueIndex().all())).isZero();

            // when the punctuations run past its deadline
            topology.advanceInSteps(Duration.ofSeconds(2), TICK);

            // then it is commanded, once, and forgotten
            assertThat(topology.commands())
                    .singleElement()
                    .satisfies(
                            c -> {
                                assertThat(c.job()).isEqualTo(DAILY_SALES);
                                assertThat(c.changes().lastLsn()).isEqualTo(42L);
                            });
            assertThat(topology.pending().get(DAILY_SALES)).isNull();
            assertThat(count(topology.dueIndex().all())).isZero();
        }
    }

    @Test
    void shouldWriteNoChangelogForTheDueIndex() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // when a change is folded (the pending entry and its index entry are written)
            topology.insert(ORDERS);
            topology.advance(TICK);

            // then the pending entry goes to its changelog, the index entry nowhere
            assertThat(topology.producedTopicNames())
                    .contains(TopologyHarness.changelogOf(RefreshTopology.PENDING_STORE))
                    .doesNotContain(TopologyHarness.changelogOf(RefreshTopology.DUE_INDEX_STORE));
            assertThat(count(topology.dueIndex().all())).isEqualTo(1);
        }
    }

    @Test
    void shouldNotLoseADeadlineWhenPunctuationsAreSkipped() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given a pending change
            topology.insert(ORDERS);

            // when the wall clock jumps a minute at once: one late punctuation instead of 600
            topology.advance(Duration.ofMinutes(1));

            // then the command still goes out, once
            assertThat(topology.commands())
                    .singleElement()
                    .satisfies(c -> assertThat(c.requestedAt()).isEqualTo(START.plusSeconds(60)));
        }
    }

    @Test
    void shouldIssueTheSameIdsForTheSameInput() {
        // given two topologies fed the same changes at the same wall-clock times
        List<RefreshCommand> first = twoBursts();
        List<RefreshCommand> second = twoBursts();

        // then they issue the same commands, two distinct ids
        assertThat(first).hasSize(2).isEqualTo(second);
        assertThat(first.get(0).id()).isNotEqualTo(first.get(1).id());
    }

    private static List<RefreshCommand> twoBursts() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            topology.change(ORDERS, event(ORDERS, topology.now(), 7, 70));
            topology.advanceInSteps(Duration.ofSeconds(2), TICK);
            topology.change(ORDERS, event(ORDERS, topology.now(), 8, 80));
            topology.advanceInSteps(Duration.ofSeconds(2), TICK);
            return topology.commands();
        }
    }

    private static String event(
            io.refreshorchestrator.discovery.RelationName table,
            Instant committedAt,
            long txId,
            long lsn) {
        return DebeziumEvent.insertInto(table).committedAt(committedAt).txId(txId).lsn(lsn).bare();
    }

    private static <K, V> long count(
            org.apache.kafka.streams.state.KeyValueIterator<K, V> iterator) {
        try (iterator) {
            long n = 0;
            for (; iterator.hasNext(); iterator.next()) {
                n++;
            }
            return n;
        }
    }
}
