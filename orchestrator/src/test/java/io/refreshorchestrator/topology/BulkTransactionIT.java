package io.refreshorchestrator.topology;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.app.Orchestrator;
import io.refreshorchestrator.app.OrchestratorFixture;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bulk insert of 200,000 rows in one transaction, captured by Debezium from a real PostgreSQL
 * through a real Kafka broker: the topology passes a few records for it through its repartition
 * topic, not 200,000, and the view reflects every row after the refresh. A view with the leading
 * edge is refreshed once for it: at its first row, with the rest of the transaction covered.
 */
@ExtendWith(LocalStackExtension.class)
class BulkTransactionIT {

    private static final int ROWS = 200_000;
    private static final String JOB = "analytics.bulk_plays";
    private static final String LEADING = "analytics.bulk_plays_leading";
    private static final Logger LOG = LoggerFactory.getLogger(BulkTransactionIT.class);
    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final Duration WAIT = scaled(Duration.ofSeconds(120));

    private final List<RefreshResult> results = new ArrayList<>();
    private final List<JobInput.Change> routed = new ArrayList<>();

    @Test
    void shouldPassABulkTransactionThroughTheRepartitionTopicAsAFewRecords(
            LocalStack stack, @TempDir Path stateDir) throws Exception {
        // given an orchestrator with production defaults for one view over one table
        var fixture =
                new OrchestratorFixture(stack, stack.postgres().createDatabase("bulk"), "bulk");
        fixture.execute(
                """
                CREATE TABLE public.bulk_source (
                  id bigserial PRIMARY KEY, track_id int NOT NULL, note text NOT NULL);
                CREATE SCHEMA analytics;
                CREATE MATERIALIZED VIEW analytics.bulk_plays AS
                  SELECT track_id, count(*) AS plays FROM public.bulk_source GROUP BY track_id;
                CREATE UNIQUE INDEX ON analytics.bulk_plays (track_id);
                CREATE MATERIALIZED VIEW analytics.bulk_plays_leading AS
                  SELECT track_id, count(*) AS plays FROM public.bulk_source GROUP BY track_id;
                CREATE UNIQUE INDEX ON analytics.bulk_plays_leading (track_id);
                """);
        var config =
                fixture.config(
                        stateDir,
                        """
                        jobs:
                          - view: analytics.bulk_plays
                            sources: [public.bulk_source]
                          - view: analytics.bulk_plays_leading
                            sources: [public.bulk_source]
                            leading-edge: true
                        """,
                        "BulkTransactionIT");
        String repartition = fixture.name() + "-" + RefreshTopology.CHANGES_BY_JOB + "-repartition";
        try (var orchestrator = Orchestrator.start(config);
                var consumer = consumer(fixture)) {
            assertThat(orchestrator.awaitReady(READY))
                    .as("capture streaming and topology running within %s", READY)
                    .isTrue();
            consumer.subscribe(List.of(repartition, fixture.resultsTopic()));
            await("the STARTUP refresh of " + JOB)
                    .atMost(WAIT)
                    .pollInSameThread()
                    .until(
                            () -> {
                                poll(consumer, repartition);
                                return results.stream()
                                                .filter(r -> r.reason() == Reason.STARTUP)
                                                .count()
                                        == 2;
                            });

            // when 200,000 rows are inserted in one transaction
            fixture.execute(
                    "INSERT INTO public.bulk_source (track_id, note) SELECT g % 100, 'row ' || g"
                            + " FROM generate_series(1, "
                            + ROWS
                            + ") g");
            Instant committedAt = Instant.now();

            // then a refresh that started after the commit succeeds
            await("a SUCCEEDED refresh of " + JOB + " started after the commit")
                    .atMost(WAIT)
                    .pollInSameThread()
                    .until(
                            () -> {
                                poll(consumer, repartition);
                                return results.stream()
                                        .anyMatch(
                                                r ->
                                                        r.job().equals(JOB)
                                                                && r.status() == Status.SUCCEEDED
                                                                && r.reason() == Reason.DATA_CHANGE
                                                                && r.startedAt()
                                                                        .isAfter(committedAt));
                            });
            assertThat(fixture.count("SELECT sum(plays) FROM analytics.bulk_plays"))
                    .as("the view reflects all %,d rows", ROWS)
                    .isEqualTo(ROWS);

            // and once every row went through the router, the repartition topic holds a few
            // records for the transaction, whose counts add up to its rows
            await("the repartition topic accounting for all " + ROWS + " rows")
                    .atMost(WAIT)
                    .pollInSameThread()
                    .until(
                            () -> {
                                poll(consumer, repartition);
                                return routed.stream().mapToLong(JobInput.Change::count).sum()
                                        >= ROWS;
                            });
            assertThat(routed)
                    .as("records for the transaction on %s", repartition)
                    .hasSizeBetween(1, 3)
                    .allSatisfy(c -> assertThat(c.txId()).isEqualTo(routed.get(0).txId()));
            assertThat(routed.stream().mapToLong(JobInput.Change::count).sum()).isEqualTo(ROWS);

            // and the view with the leading edge was refreshed once for the whole transaction:
            // no second refresh follows within the debounce and a refresh after the rest arrived
            await("one refresh of " + LEADING + ", and no other for 5 s")
                    .atMost(WAIT)
                    .during(Duration.ofSeconds(5))
                    .pollInSameThread()
                    .until(
                            () -> {
                                poll(consumer, repartition);
                                return leadingRefreshes().size() == 1;
                            });
            List<RefreshResult> leading = leadingRefreshes();
            assertThat(leading)
                    .as("refreshes of %s for the transaction", LEADING)
                    .singleElement()
                    .satisfies(r -> assertThat(r.status()).isEqualTo(Status.SUCCEEDED));
            assertThat(fixture.count("SELECT sum(plays) FROM analytics.bulk_plays_leading"))
                    .isEqualTo(ROWS);
            LOG.info(
                    "{} rows in one transaction: {} record(s) on the repartition topic for {};"
                            + " {} refreshed once, started {} ms and finished {} ms after the"
                            + " commit returned",
                    ROWS,
                    routed.size(),
                    JOB,
                    LEADING,
                    Duration.between(committedAt, leading.get(0).startedAt()).toMillis(),
                    Duration.between(committedAt, leading.get(0).finishedAt()).toMillis());
        } finally {
            fixture.dropSlot();
        }
    }

    private List<RefreshResult> leadingRefreshes() {
        return results.stream()
                .filter(r -> r.job().equals(LEADING))
                .filter(r -> r.reason() == Reason.DATA_CHANGE)
                .toList();
    }

    private void poll(KafkaConsumer<String, byte[]> consumer, String repartition) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
            if (record.topic().equals(repartition)) {
                if (JOB.equals(record.key())
                        && RefreshTopology.JOB_INPUT_SERDE.read(record.value())
                                instanceof JobInput.Change change) {
                    routed.add(change);
                }
            } else {
                RefreshResult result = Topics.RESULT_SERDE.read(record.value());
                if (result != null && (JOB.equals(result.job()) || LEADING.equals(result.job()))) {
                    results.add(result);
                }
            }
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(OrchestratorFixture fixture) {
        return new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        fixture.bootstrap(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "bulk-tail-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
    }
}
