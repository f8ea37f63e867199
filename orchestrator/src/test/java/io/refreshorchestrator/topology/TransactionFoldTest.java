package io.refreshorchestrator.topology;

import static io.refreshorchestrator.topology.Jobs.ARTIST_STATS;
import static io.refreshorchestrator.topology.Jobs.DAILY_SALES;
import static io.refreshorchestrator.topology.Jobs.ORDERS;
import static io.refreshorchestrator.topology.Jobs.POPULAR_TRACKS;
import static io.refreshorchestrator.topology.Jobs.TRACKS;
import static io.refreshorchestrator.topology.TopologyHarness.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.discovery.RelationName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/** The rows of one transaction cost the topology after the router a few records, not one each. */
class TransactionFoldTest {

    private static final Duration TICK = Duration.ofMillis(100);
    private static final Instant COMMIT = START.minusMillis(300);

    @Test
    void shouldRouteATransactionsFirstRowAtOnceAndItsRestAsOneRecord() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given a transaction of 1,000 rows on one table
            rows(topology, ORDERS, 77, 1, 1_000);

            // then its first row is routed at once, and nothing else yet
            assertThat(topology.routedRecords())
                    .singleElement()
                    .satisfies(
                            record -> {
                                assertThat(record.key).isEqualTo(DAILY_SALES);
                                assertThat(change(record))
                                        .isEqualTo(
                                                new JobInput.Change(
                                                        ORDERS, COMMIT, 77L, 1L, 1L, 1L, false,
                                                        null));
                            });

            // when punctuations find the partition quiet for long enough
            topology.advanceInSteps(TICK.multipliedBy(TransactionFolds.QUIET_INTERVALS), TICK);

            // then the other 999 rows follow as one record
            assertThat(topology.routedRecords())
                    .singleElement()
                    .satisfies(
                            record ->
                                    assertThat(change(record))
                                            .isEqualTo(
                                                    new JobInput.Change(
                                                            ORDERS, COMMIT, 77L, 2L, 1_000L, 999L,
                                                            true, null)));

            // and one command reports all of them
            topology.advanceInSteps(Duration.ofSeconds(2), TICK);
            assertThat(topology.commands())
                    .singleElement()
                    .satisfies(
                            command -> {
                                assertThat(command.changes().count()).isEqualTo(1_000);
                                assertThat(command.changes().lastTxId()).isEqualTo(77L);
                                assertThat(command.changes().lastLsn()).isEqualTo(1_000L);
                                assertThat(command.changes().firstChangeAt()).isEqualTo(COMMIT);
                            });
        }
    }

    @Test
    void shouldEndATransactionsRunWhenTheNextTransactionArrives() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given two transactions back to back on one table, without a punctuation between
            rows(topology, TRACKS, 1, 1, 300);
            rows(topology, TRACKS, 2, 301, 300);

            // then each job reading it gets: first of 1, rest of 1, first of 2
            List<KeyValue<String, JobInput>> routed = topology.routedRecords();
            assertThat(routed.stream().filter(r -> r.key.equals(POPULAR_TRACKS)).toList())
                    .extracting(r -> change(r).txId(), r -> change(r).count())
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1L, 1L),
                            org.assertj.core.groups.Tuple.tuple(1L, 299L),
                            org.assertj.core.groups.Tuple.tuple(2L, 1L));
            assertThat(routed).hasSize(6); // artist_stats reads tracks too

            // and every row is counted once in the end
            topology.advanceInSteps(Duration.ofSeconds(2), TICK);
            assertThat(topology.commands())
                    .filteredOn(c -> c.job().equals(ARTIST_STATS))
                    .singleElement()
                    .satisfies(c -> assertThat(c.changes().count()).isEqualTo(600));
        }
    }

    @Test
    void shouldNotFoldEventsWithoutATransactionId() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given two events that say nothing about their transaction
            String event =
                    """
                    {"op":"u","source":{"schema":"shop","table":"orders","ts_ms":1}}""";
            topology.change(ORDERS, event);
            topology.change(ORDERS, event);

            // then both are routed: nothing proves they are one transaction
            assertThat(topology.routedRecords()).hasSize(2);
        }
    }

    @Test
    void shouldNotRefreshAgainForTheRestOfATransactionAlreadyCommanded() {
        // given a job with the leading edge: the first row of a transaction is commanded at once
        var policy = Jobs.policy(Jobs.DEBOUNCE, Jobs.MAX_DELAY).withPacing(1.0, true);
        try (var topology = new TopologyHarness(Jobs.musicShop(policy))) {
            rows(topology, ORDERS, 9, 1, 1);
            topology.advance(TICK);
            assertThat(topology.commands()).hasSize(1);

            // when the rest of its rows arrive after that command (a bulk insert still streaming)
            rows(topology, ORDERS, 9, 2, 50_000);
            topology.advanceInSteps(Duration.ofSeconds(10), TICK);

            // then no second refresh is commanded: the first one's refresh starts after the
            // transaction's commit, which all its rows share
            assertThat(topology.commands()).isEmpty();
            assertThat(topology.pending().get(DAILY_SALES)).isNull();
        }
    }

    /** Rows {@code firstLsn..firstLsn+count-1} of transaction {@code txId}, committed at COMMIT. */
    private static void rows(
            TopologyHarness topology, RelationName table, long txId, long firstLsn, int count) {
        for (int i = 0; i < count; i++) {
            topology.change(
                    table,
                    DebeziumEvent.insertInto(table)
                            .committedAt(COMMIT)
                            .txId(txId)
                            .lsn(firstLsn + i)
                            .bare());
        }
    }

    private static JobInput.Change change(KeyValue<String, JobInput> record) {
        assertThat(record.value).isInstanceOf(JobInput.Change.class);
        return (JobInput.Change) record.value;
    }
}
