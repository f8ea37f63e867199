package io.refreshorchestrator.topology;

import static io.refreshorchestrator.topology.Jobs.ARTIST_STATS;
import static io.refreshorchestrator.topology.Jobs.ORDERS;
import static io.refreshorchestrator.topology.Jobs.POPULAR_TRACKS;
import static io.refreshorchestrator.topology.Jobs.TRACKS;
import static io.refreshorchestrator.topology.TopologyHarness.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.DeadLetter;
import io.refreshorchestrator.events.RefreshCommand;
import java.time.Duration;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/** Reading Debezium change events and routing them to the jobs built on the changed table. */
class RoutingTest {

    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration PAST_DEBOUNCE = Duration.ofMillis(1100);

    @Test
    void shouldFanOutOneTableToEveryJobBuiltOnIt() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given tracks feeds popular_tracks and artist_stats
            // when a track is inserted
            topology.insert(TRACKS);
            topology.advanceInSteps(PAST_DEBOUNCE, TICK);

            // then both are refreshed, and only they
            assertThat(topology.commands())
                    .extracting(RefreshCommand::job)
                    .containsExactlyInAnyOrder(POPULAR_TRACKS, ARTIST_STATS);
        }
    }

    @Test
    void shouldIgnoreUnknownTables() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given a captured table no job reads
            RelationName audit = new RelationName("public", "audit_log");

            // when it changes
            topology.insert(audit);
            topology.advanceInSteps(PAST_DEBOUNCE, TICK);

            // then nothing is refreshed, and it is no error
            assertThat(topology.commands()).isEmpty();
            assertThat(topology.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldReadSchemaWrappedAndBareEnvelopes() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given one event with its schema and one without
            var event =
                    DebeziumEvent.insertInto(ORDERS)
                            .committedAt(START.minusSeconds(1))
                            .lsn(24_000_000);

            // when both arrive
            topology.change(ORDERS, event.schemaWrapped());
            topology.change(ORDERS, event.lsn(24_000_100).bare());
            topology.advanceInSteps(PAST_DEBOUNCE, TICK);

            // then both count as changes, with their commit time and position
            assertThat(topology.commands())
                    .singleElement()
                    .satisfies(
                            command -> {
                                assertThat(command.changes().count()).isEqualTo(2);
                                assertThat(command.changes().firstChangeAt())
                                        .isEqualTo(START.minusSeconds(1));
                                assertThat(command.changes().lastLsn()).isEqualTo(24_000_100L);
                            });
            assertThat(topology.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldIgnoreTombstones() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given the tombstone Debezium writes after a delete
            // when it arrives
            topology.change(ORDERS, null);
            topology.advanceInSteps(PAST_DEBOUNCE, TICK);

            // then it is neither a change nor an error (the delete event before it was the change)
            assertThat(topology.commands()).isEmpty();
            assertThat(topology.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldIgnoreTransactionMarkersAndLogicalMessages() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given a transaction END marker and a logical decoding message
            topology.change(
                    ORDERS,
                    """
                    {"status":"END","id":"571:53195832","event_count":2,\
                    "data_collections":[{"data_collection":"shop.orders","event_count":2}],\
                    "ts_ms":1772445600000}""");
            topology.change(
                    ORDERS,
                    """
                    {"op":"m","ts_ms":1772445600000,"source":{"schema":"","table":"",\
                    "ts_ms":1772445600000},"message":{"prefix":"audit","content":"AQ=="}}""");
            topology.advanceInSteps(PAST_DEBOUNCE, TICK);

            // then neither refreshes anything nor is an error
            assertThat(topology.commands()).isEmpty();
            assertThat(topology.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldSendUnparseableChangeToDlq() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given a value that is not JSON, and one without its source block
            topology.change(ORDERS, "{not json");
            topology.change(ORDERS, "{\"op\":\"c\",\"after\":{\"id\":1}}");

            // when a valid change follows
            topology.insert(ORDERS);
            topology.advanceInSteps(PAST_DEBOUNCE, TICK);

            // then the two bad ones are dead letters with the reason and where they came from
            var deadLetters = topology.deadLetters();
            assertThat(deadLetters).hasSize(2);
            KeyValue<String, DeadLetter> malformed = deadLetters.get(0);
            assertThat(malformed.key).isEqualTo("pg.shop.orders");
            assertThat(malformed.value.reason()).startsWith("malformed JSON");
            assertThat(malformed.value.sourceTopic()).isEqualTo("pg.shop.orders");
            assertThat(malformed.value.sourcePartition()).isZero();
            assertThat(malformed.value.sourceOffset()).isZero();
            assertThat(malformed.value.key()).isEqualTo("{\"id\":42}");
            assertThat(malformed.value.value()).isEqualTo("{not json");
            assertThat(malformed.value.rejectedAt()).isEqualTo(START);
            assertThat(deadLetters.get(1).value.reason()).isEqualTo("missing field 'source'");
            assertThat(deadLetters.get(1).value.sourceOffset()).isEqualTo(1);

            // and the stream kept working: the valid change is refreshed
            assertThat(topology.commands())
                    .singleElement()
                    .satisfies(command -> assertThat(command.changes().count()).isEqualTo(1));
        }
    }
}
