package io.refreshorchestrator.topology;

import static io.refreshorchestrator.topology.Jobs.ARTISTS;
import static io.refreshorchestrator.topology.Jobs.ORDERS;
import static io.refreshorchestrator.topology.Jobs.PLAYS;
import static io.refreshorchestrator.topology.Jobs.TRACKS;
import static io.refreshorchestrator.topology.TopologyHarness.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.RefreshCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Folding a transaction's rows in the router's memory is safe whatever happens to that memory: for
 * any interleaving of transactions over tables (and so over jobs), with the memory dropped (a
 * crash, a rebalance) and processing aborted and replayed from the last commit (exactly-once) at
 * any points, every transaction is covered by a later command of every job it affects.
 *
 * <p>The real {@link ChangeRouter} runs in a mock context that plays the stream thread: records it
 * forwards since the last commit are lost on an abort, and reading resumes at the committed
 * offsets. What was committed goes to the real debouncer in the topology, which issues the
 * commands.
 */
class TransactionFoldPropertiesTest {

    private static final List<RelationName> TABLES = List.of(TRACKS, PLAYS, ARTISTS, ORDERS);
    private static final Duration TICK = Duration.ofMillis(100);

    /** What happens next in the stream thread. */
    enum Step {
        READ,
        READ_AGAIN,
        READ_ONCE_MORE,
        TICK,
        COMMIT,
        ABORT_KEEPING_MEMORY,
        ABORT_AND_CRASH,
        DROP_MEMORY
    }

    /** One row event in a table's partition. */
    private record Row(int transaction, RelationName table, String json) {}

    @Property(tries = 200)
    void everyTransactionIsCoveredByALaterCommandOfEveryJobItAffects(
            @ForAll("transactions") List<List<Integer>> transactions,
            @ForAll("steps") List<Step> steps,
            @ForAll("picks") List<Integer> picks) {
        JobGraph graph = Jobs.musicShop();
        // given each table's partition: the transactions touching it, in commit order, each
        // transaction's rows of that table back to back as Debezium writes them
        Map<RelationName, List<Row>> partitions = new HashMap<>();
        TABLES.forEach(table -> partitions.put(table, new ArrayList<>()));
        long lsn = 1;
        for (int tx = 0; tx < transactions.size(); tx++) {
            Instant commit = START.minusSeconds(1).plusMillis(tx);
            List<Integer> rowsPerTable = transactions.get(tx);
            for (int t = 0; t < TABLES.size(); t++) {
                RelationName table = TABLES.get(t);
                for (int r = 0; r < rowsPerTable.get(t); r++) {
                    String json =
                            DebeziumEvent.insertInto(table)
                                    .committedAt(commit)
                                    .txId(5_000 + tx)
                                    .lsn(lsn++)
                                    .bare();
                    partitions.get(table).add(new Row(tx, table, json));
                }
            }
        }
        Map<Integer, Instant> firstCommitted = new HashMap<>();
        List<RefreshCommand> commands = new ArrayList<>();
        try (var topology = new TopologyHarness(graph)) {
            var thread = new StreamThread(graph, partitions, topology, firstCommitted);
            int pick = 0;
            // when the stream thread goes through these steps, then reads everything to the end
            for (Step step : steps) {
                thread.run(step, picks.get(pick++ % picks.size()));
            }
            while (thread.hasMore()) {
                thread.run(Step.READ, pick++);
            }
            thread.run(Step.COMMIT, 0);
            for (int i = 0; i < 3; i++) {
                thread.run(Step.TICK, 0);
                thread.run(Step.COMMIT, 0);
            }
            topology.advanceInSteps(Jobs.MAX_DELAY.plus(TICK.multipliedBy(3)), TICK);
            commands.addAll(thread.commands);
            commands.addAll(topology.commands());
        }

        // then every job each transaction affects was commanded after the transaction reached it
        for (int tx = 0; tx < transactions.size(); tx++) {
            Instant reached = firstCommitted.get(tx);
            for (int t = 0; t < TABLES.size(); t++) {
                if (transactions.get(tx).get(t) == 0) {
                    continue;
                }
                for (String job : graph.jobsReading(TABLES.get(t))) {
                    assertThat(reached).as("transaction %d was read", tx).isNotNull();
                    assertThat(commands)
                            .as("a command of %s at or after transaction %d reached it", job, tx)
                            .anySatisfy(
                                    command -> {
                                        assertThat(command.job()).isEqualTo(job);
                                        assertThat(command.requestedAt()).isAfterOrEqualTo(reached);
                                    });
                }
            }
        }
    }

    /** Per transaction, rows on each of the four tables (mostly none, sometimes many). */
    @Provide
    Arbitrary<List<List<Integer>>> transactions() {
        Arbitrary<Integer> rows =
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, Arbitraries.just(0)),
                        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 3)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(4, 40)));
        return rows.list()
                .ofSize(TABLES.size())
                .filter(perTable -> perTable.stream().anyMatch(n -> n > 0))
                .list()
                .ofMinSize(1)
                .ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Arbitraries.of(Step.class).list().ofMaxSize(120);
    }

    @Provide
    Arbitrary<List<Integer>> picks() {
        return Arbitraries.integers().between(0, 1_000).list().ofMinSize(1).ofMaxSize(20);
    }

    /**
     * The router's stream thread: reads the partitions in some interleaving, commits, aborts (what
     * was forwarded since the last commit is lost, reading resumes at the committed offsets), loses
     * the router's memory. Committed output reaches the debouncer.
     */
    private static final class StreamThread {
        private final JobGraph graph;
        private final Map<RelationName, List<Row>> partitions;
        private final TopologyHarness topology;
        private final Map<Integer, Instant> firstCommitted;
        private final Map<RelationName, Integer> position = new HashMap<>();
        private final Map<RelationName, Integer> committed = new HashMap<>();
        private final List<Integer> readSinceCommit = new ArrayList<>();
        private final List<RefreshCommand> commands = new ArrayList<>();
        private MockProcessorContext<String, Outcome<JobInput.Change>> context;
        private ChangeRouter router;

        StreamThread(
                JobGraph graph,
                Map<RelationName, List<Row>> partitions,
                TopologyHarness topology,
                Map<Integer, Instant> firstCommitted) {
            this.graph = graph;
            this.partitions = partitions;
            this.topology = topology;
            this.firstCommitted = firstCommitted;
            TABLES.forEach(table -> position.put(table, 0));
            TABLES.forEach(table -> committed.put(table, 0));
            newRouter();
        }

        boolean hasMore() {
            return TABLES.stream()
                    .anyMatch(table -> position.get(table) < partitions.get(table).size());
        }

        void run(Step step, int pick) {
            switch (step) {
                case READ, READ_AGAIN, READ_ONCE_MORE -> read(pick);
                case TICK -> {
                    context.setCurrentSystemTimeMs(topology.now().toEpochMilli());
                    context.scheduledPunctuators()
                            .forEach(
                                    p ->
                                            p.getPunctuator()
                                                    .punctuate(topology.now().toEpochMilli()));
                    topology.advance(TICK);
                }
                case COMMIT -> commit();
                case ABORT_KEEPING_MEMORY -> abort();
                case ABORT_AND_CRASH -> {
                    abort();
                    newRouter();
                }
                case DROP_MEMORY -> {
                    // a rebalance: the task is committed, closed, and opened again
                    commit();
                    router.close();
                    newRouter();
                }
            }
        }

        private void read(int pick) {
            List<RelationName> readable =
                    TABLES.stream()
                            .filter(table -> position.get(table) < partitions.get(table).size())
                            .toList();
            if (readable.isEmpty()) {
                return;
            }
            RelationName table = readable.get(pick % readable.size());
            int offset = position.get(table);
            Row row = partitions.get(table).get(offset);
            position.put(table, offset + 1);
            context.setRecordMetadata(TopologyHarness.topicOf(table), 0, offset);
            context.setCurrentSystemTimeMs(topology.now().toEpochMilli());
            router.process(
                    new Record<>(
                            "{\"id\":1}".getBytes(StandardCharsets.UTF_8),
                            row.json().getBytes(StandardCharsets.UTF_8),
                            topology.now().toEpochMilli()));
            readSinceCommit.add(row.transaction());
        }

        private void commit() {
            for (var forward : context.forwarded()) {
                var record = forward.record();
                var outcome = (Outcome.Accepted<JobInput.Change>) record.value();
                topology.routed(record.key(), outcome.value());
            }
            context.resetForwards();
            commands.addAll(topology.commands());
            readSinceCommit.forEach(tx -> firstCommitted.putIfAbsent(tx, topology.now()));
            readSinceCommit.clear();
            committed.putAll(position);
        }

        private void abort() {
            context.resetForwards();
            readSinceCommit.clear();
            position.putAll(committed);
        }

        private void newRouter() {
            context = new MockProcessorContext<>();
            router = new ChangeRouter(graph, TICK);
            router.init(context);
        }
    }
}
