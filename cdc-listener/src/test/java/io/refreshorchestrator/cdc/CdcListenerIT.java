package io.refreshorchestrator.cdc;

import static io.refreshorchestrator.cdc.CaptureFixture.parse;
import static io.refreshorchestrator.cdc.CaptureFixture.timeout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.refreshorchestrator.config.PostgresSettings;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** The listener on a real PostgreSQL 15 and a real Kafka broker. */
@ExtendWith(LocalStackExtension.class)
class CdcListenerIT {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(CdcListenerIT.class);
    private static final String PLAYS_DDL =
            "CREATE TABLE public.plays (id bigint PRIMARY KEY, track text NOT NULL,"
                    + " played_at timestamptz NOT NULL DEFAULT now())";
    private static final String TRACKS_DDL =
            "CREATE TABLE public.tracks (id bigint PRIMARY KEY, title text)";
    private static final String AUDIT_DDL =
            "CREATE TABLE public.audit (id bigserial PRIMARY KEY, note text)";

    private CaptureFixture fixture;
    private final List<TopicTail> tails = new ArrayList<>();

    @BeforeEach
    void createWorld(LocalStack stack) {
        fixture = new CaptureFixture(stack, "cdc_it");
        fixture.sql(PLAYS_DDL, TRACKS_DDL, AUDIT_DDL);
    }

    @AfterEach
    void closeWorld() {
        tails.forEach(TopicTail::close);
        fixture.close();
    }

    @Test
    void shouldStreamStandardDebeziumEventsForTheConfiguredTablesOnly() throws Exception {
        // given: every log line is captured, at INFO for everybody, to prove the password never
        // shows
        var logs = captureLogs();
        var settings = fixture.settings("public.plays", "public.tracks").build();

        // when
        long startedAt = System.nanoTime();
        var listener = fixture.start(settings);
        listener.awaitStreaming(timeout(90));
        long streamingAfterMs = (System.nanoTime() - startedAt) / 1_000_000;
        LOG.info("MEASURED start-to-streaming: {} ms", streamingAfterMs);
        var plays = tail(settings.changeTopics().get(0));
        fixture.sql(
                "INSERT INTO public.plays (id, track) VALUES (1, 'intro')",
                "UPDATE public.plays SET track = 'outro' WHERE id = 1",
                "DELETE FROM public.plays WHERE id = 1",
                "INSERT INTO public.audit (note) VALUES ('not captured')",
                "TRUNCATE public.plays");

        // then: one standard event per change, in commit order
        var events = values(plays.awaitCount(4, timeout(30)));
        assertThat(events)
                .extracting(event -> event.get("op").asText())
                .containsExactly("c", "u", "d", "t");
        var insert = events.get(0);
        assertThat(insert.has("schema")).as("schemas.enable=false: no envelope").isFalse();
        assertThat(insert.get("before").isNull()).isTrue();
        assertThat(insert.get("after").get("id").asLong()).isEqualTo(1);
        assertThat(insert.get("after").get("track").asText()).isEqualTo("intro");
        assertThat(insert.get("ts_ms").asLong()).isPositive();
        var source = insert.get("source");
        assertThat(source.get("schema").asText()).isEqualTo("public");
        assertThat(source.get("table").asText()).isEqualTo("plays");
        assertThat(source.get("db").asText()).isEqualTo(fixture.database);
        assertThat(source.get("txId").asLong()).isPositive();
        assertThat(source.get("lsn").asLong()).isPositive();
        assertThat(source.get("ts_ms").asLong()).isPositive();
        // REPLICA IDENTITY DEFAULT: an update carries no old row, a delete only its key
        assertThat(events.get(1).get("before").isNull()).isTrue();
        assertThat(events.get(1).get("after").get("track").asText()).isEqualTo("outro");
        assertThat(events.get(2).get("before").get("id").asLong()).isEqualTo(1);
        assertThat(events.get(2).get("after").isNull()).isTrue();
        assertThat(parse(plays.poll().get(0).key()).get("id").asLong()).isEqualTo(1);

        // and: the unconfigured table is neither published nor captured
        assertThat(publishedTables(settings))
                .containsExactlyInAnyOrder("public.plays", "public.tracks");
        assertThat(fixture.topicExists(settings.topicPrefix() + ".public.audit")).isFalse();

        // and: exactly one capture reset, for the new slot, keyed by the slot
        var signals = fixture.records(settings.signalsTopic());
        assertThat(signals).hasSize(1);
        assertThat(signals.get(0).key()).isEqualTo(settings.slotName());
        var signal = SignalPublisher.JSON.readValue(signals.get(0).value(), CaptureSignal.class);
        assertThat(signal.type()).isEqualTo("CAPTURE_RESET");
        assertThat(signal.version()).isEqualTo(1);
        assertThat(signal.reason()).isEqualTo(CaptureSignal.Reason.SLOT_CREATED);
        assertThat(signal.slot()).isEqualTo(settings.slotName());
        assertThat(signal.publication()).isEqualTo(settings.publicationName());
        assertThat(signal.tables()).containsExactly("public.plays", "public.tracks");
        assertThat(signal.at()).isNotNull();

        // and: heartbeats keep arriving on the heartbeat topic
        var heartbeats = tail(settings.heartbeatTopic());
        heartbeats.awaitRecords("two heartbeats", timeout(30), records -> records.size() >= 2);
        assertThat(parse(heartbeats.poll().get(0).value()).has("ts_ms")).isTrue();

        // and: commit-to-event latency, one row at a time
        measureLatency(plays, 10);

        // and: the password reached no log line
        assertThat(logs.list).isNotEmpty();
        assertThat(logs.list)
                .allSatisfy(
                        event ->
                                assertThat(render(event))
                                        .doesNotContain(fixture.password.reveal()));
        stopCapturingLogs(logs);
    }

    @Test
    void shouldResumeFromTheOffsetsStoredInKafkaAfterARestart() throws Exception {
        // given: a first run captured row 1 and stopped gracefully
        var settings = fixture.settings("public.plays").build();
        var first = fixture.start(settings);
        first.awaitStreaming(timeout(90));
        var plays = tail(settings.changeTopics().get(0));
        fixture.sql("INSERT INTO public.plays (id, track) VALUES (1, 'before stop')");
        plays.awaitCount(1, timeout(30));
        first.close();
        assertThat(storedOffsetKeys(settings))
                .as("position stored in the offsets topic")
                .isNotEmpty();

        // when: rows change while nothing listens, then a second run starts
        fixture.sql(
                "INSERT INTO public.plays (id, track) VALUES (2, 'while stopped')",
                "INSERT INTO public.plays (id, track) VALUES (3, 'while stopped')");
        var second = fixture.start(settings);
        second.awaitStreaming(timeout(90));
        fixture.sql("INSERT INTO public.plays (id, track) VALUES (4, 'after restart')");

        // then: nothing lost, nothing replayed, no capture reset
        var records =
                plays.awaitRecords(
                        "rows 2, 3 and 4", timeout(30), all -> afterIds(all).contains(4L));
        assertThat(values(records))
                .extracting(event -> event.get("after").get("id").asLong())
                .containsExactly(1L, 2L, 3L, 4L);
        assertThat(fixture.records(settings.signalsTopic()))
                .as("only the first run's SLOT_CREATED signal")
                .hasSize(1);
    }

    @Test
    void shouldKeepTheSlotAdvancingWhileTheCapturedTablesAreIdle() throws Exception {
        // given: capture streams, the captured table sees no change at all
        var settings = fixture.settings("public.plays").build();
        var listener = fixture.start(settings);
        listener.awaitStreaming(timeout(90));

        // when: the rest of the database keeps writing WAL
        fixture.sql(
                "INSERT INTO public.audit (note) SELECT repeat('x', 100) FROM generate_series(1, 1000)",
                "SELECT pg_switch_wal()",
                "INSERT INTO public.audit (note) VALUES ('after switch')");
        var walWritten = currentWalLsn();

        // then: the slot's confirmed position passes it, so PostgreSQL may recycle that WAL
        await("slot " + settings.slotName() + " confirmed past " + walWritten)
                .atMost(timeout(40))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> confirmedFlushPast(settings.slotName(), walWritten));
    }

    private String currentWalLsn() throws Exception {
        try (var connection = fixture.connect();
                var statement = connection.createStatement();
                var result = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            result.next();
            return result.getString(1);
        }
    }

    private boolean confirmedFlushPast(String slot, String lsn) throws Exception {
        try (var connection = fixture.connect();
                var statement =
                        connection.prepareStatement(
                                "SELECT confirmed_flush_lsn >= ?::pg_lsn, confirmed_flush_lsn::text"
                                        + " FROM pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, lsn);
            statement.setString(2, slot);
            try (var result = statement.executeQuery()) {
                var past = result.next() && result.getBoolean(1);
                LOG.info(
                        "slot {} confirmed_flush_lsn {} (target {})",
                        slot,
                        result.getString(2),
                        lsn);
                return past;
            }
        }
    }

    @Test
    void shouldRecreateAnInvalidatedSlotAndSignalTheLoss() throws Exception {
        // given: a slot that PostgreSQL invalidated while the listener was stopped
        var settings = fixture.settings("public.plays").build();
        var first = fixture.start(settings);
        first.awaitStreaming(timeout(90));
        first.close();
        invalidateSlot(settings.slotName());

        // when
        var second = fixture.start(settings);
        second.awaitStreaming(timeout(90));
        var plays = tail(settings.changeTopics().get(0));
        fixture.sql("INSERT INTO public.plays (id, track) VALUES (7, 'after reset')");

        // then: a new slot streams, and the loss is signalled
        plays.awaitRecords("row 7", timeout(30), all -> afterIds(all).contains(7L));
        var reasons =
                fixture.values(settings.signalsTopic()).stream()
                        .map(signal -> signal.get("reason").asText())
                        .toList();
        assertThat(reasons).containsExactly("SLOT_CREATED", "SLOT_INVALIDATED");
    }

    @Test
    void shouldPublishAndSignalATableAddedToTheConfiguration() throws Exception {
        // given
        var before = fixture.settings("public.plays").build();
        var first = fixture.start(before);
        first.awaitStreaming(timeout(90));
        await("a position stored (first heartbeat)")
                .atMost(timeout(30))
                .until(() -> !storedOffsetKeys(before).isEmpty());
        first.close();

        // when
        var after = before.withTables(List.of("public.plays", "public.tracks"));
        var second = fixture.start(after);
        second.awaitStreaming(timeout(90));
        fixture.sql("INSERT INTO public.tracks (id, title) VALUES (1, 'new')");

        // then
        assertThat(publishedTables(after))
                .containsExactlyInAnyOrder("public.plays", "public.tracks");
        tail(after.changeTopics().get(1)).awaitCount(1, timeout(30));
        var signals = fixture.values(after.signalsTopic());
        assertThat(signals).hasSize(2);
        assertThat(signals.get(1).get("reason").asText()).isEqualTo("TABLES_ADDED");
        assertThat(signals.get(1).get("tables").get(0).asText()).isEqualTo("public.tracks");
        assertThat(signals.get(1).get("tables")).hasSize(1);
    }

    @Test
    void shouldRefuseToStartNamingEveryMissingPrecondition() throws Exception {
        var plainRole = fixture.id + "_plain"; // roles are cluster-wide
        var replicationRole = fixture.id + "_repl";
        // a missing table, a view and a table without replica identity, reported together
        fixture.sql(
                "CREATE VIEW public.plays_view AS SELECT * FROM public.plays",
                "CREATE TABLE public.no_key (note text)");
        var listener =
                fixture.start(
                        fixture.settings(
                                        "public.plays",
                                        "public.missing",
                                        "public.plays_view",
                                        "public.no_key")
                                .build());
        assertThatCode(() -> listener.awaitStreaming(timeout(60)))
                .isInstanceOf(CdcException.class)
                .hasMessageContaining("table public.missing does not exist")
                .hasMessageContaining("public.plays_view is a view, not a table")
                .hasMessageContaining("ALTER TABLE \"public\".\"no_key\" REPLICA IDENTITY FULL");
        assertThat(listener.failure()).isPresent();
        assertThat(listener.isRunning()).isFalse();

        // a publication FOR ALL TABLES is never used
        fixture.sql("CREATE PUBLICATION everything FOR ALL TABLES");
        var allTables =
                fixture.start(
                        fixture.settings("public.plays").publicationName("everything").build());
        assertThatCode(() -> allTables.awaitStreaming(timeout(60)))
                .isInstanceOf(CdcException.class)
                .hasMessageContaining("is FOR ALL TABLES");

        // a role without the REPLICATION attribute, then one that may not create publications
        fixture.sql(
                "CREATE ROLE " + plainRole + " LOGIN",
                "CREATE ROLE " + replicationRole + " LOGIN REPLICATION");
        var plain = fixture.start(asRole(fixture.settings("public.plays").build(), plainRole));
        assertThatCode(() -> plain.awaitStreaming(timeout(60)))
                .isInstanceOf(CdcException.class)
                .hasMessageContaining("fix: ALTER ROLE \"" + plainRole + "\" WITH REPLICATION;");
        var notOwner =
                fixture.start(asRole(fixture.settings("public.plays").build(), replicationRole));
        assertThatCode(() -> notOwner.awaitStreaming(timeout(60)))
                .isInstanceOf(CdcException.class)
                .hasMessageContaining("GRANT CREATE ON DATABASE");
    }

    @Test
    void shouldStreamAsALeastPrivilegedRoleWhenTheOwnerCreatedThePublication() throws Exception {
        // given: a role with REPLICATION only, and a publication the tables' owner created
        var role = fixture.id + "_capture";
        var settings = asRole(fixture.settings("public.plays").build(), role);
        fixture.sql(
                "CREATE ROLE " + role + " LOGIN REPLICATION",
                "CREATE PUBLICATION " + settings.publicationName() + " FOR TABLE public.plays");

        // when
        var listener = fixture.start(settings);
        listener.awaitStreaming(timeout(90));
        fixture.sql("INSERT INTO public.plays (id, track) VALUES (1, 'least privilege')");

        // then
        tail(settings.changeTopics().get(0)).awaitCount(1, timeout(30));
        assertThat(fixture.records(settings.signalsTopic())).hasSize(1);
    }

    private static CdcSettings asRole(CdcSettings settings, String role) {
        var postgres = settings.postgres();
        return settings.toBuilder()
                .postgres(
                        new PostgresSettings(
                                postgres.host(),
                                postgres.port(),
                                postgres.database(),
                                role,
                                postgres.password(),
                                postgres.properties()))
                .build();
    }

    /** Lowers max_slot_wal_keep_size and writes WAL until PostgreSQL invalidates the slot. */
    private void invalidateSlot(String slotName) throws Exception {
        try (var connection = fixture.connect();
                var statement = connection.createStatement()) {
            statement.execute("ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'");
            statement.execute("SELECT pg_reload_conf()");
            try {
                await("slot " + slotName + " invalidated")
                        .atMost(timeout(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(
                                () -> {
                                    statement.execute(
                                            "INSERT INTO public.audit (note) SELECT repeat('x', 1000) FROM generate_series(1, 2000)");
                                    statement.execute("SELECT pg_switch_wal()");
                                    statement.execute("CHECKPOINT");
                                    try (var result =
                                            statement.executeQuery(
                                                    "SELECT wal_status FROM pg_replication_slots WHERE slot_name = '"
                                                            + slotName
                                                            + "'")) {
                                        return result.next() && "lost".equals(result.getString(1));
                                    }
                                });
            } finally {
                statement.execute("ALTER SYSTEM RESET max_slot_wal_keep_size");
                statement.execute("SELECT pg_reload_conf()");
            }
        }
    }

    private static List<String> threadsNamedAfter(String id) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.contains(id))
                .toList();
    }

    private List<String> storedOffsetKeys(CdcSettings settings) {
        var offsets = new StoredOffsets(java.util.Map.of(), settings);
        return fixture.records(settings.offsetsTopic()).stream()
                .filter(record -> record.value() != null)
                .map(ConsumerRecord::key)
                .filter(
                        key ->
                                offsets.isOurs(
                                        key.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .toList();
    }

    private void measureLatency(TopicTail plays, int rows) {
        var latencies = new ArrayList<Long>();
        for (int i = 0; i < rows; i++) {
            long id = 100 + i;
            int before = plays.poll().size();
            fixture.sql("INSERT INTO public.plays (id, track) VALUES (" + id + ", 'latency')");
            var record =
                    plays.awaitRecords(
                                    "event of row " + id, timeout(10), all -> all.size() > before)
                            .get(before);
            var event = parse(record.value());
            latencies.add(record.timestamp() - event.get("source").get("ts_ms").asLong());
        }
        LOG.info(
                "MEASURED commit-to-Kafka-send latency (ms) for {} single-row commits: {}",
                rows,
                latencies);
    }

    private List<String> publishedTables(CdcSettings settings) throws Exception {
        var tables = new ArrayList<String>();
        try (var connection = fixture.connect();
                var statement =
                        connection.prepareStatement(
                                "SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = ?")) {
            statement.setString(1, settings.publicationName());
            try (var result = statement.executeQuery()) {
                while (result.next()) {
                    tables.add(result.getString(1));
                }
            }
        }
        return tables;
    }

    private TopicTail tail(String topic) {
        var tail = new TopicTail(fixture.stack.kafka().bootstrapServers(), topic);
        tails.add(tail);
        return tail;
    }

    static List<JsonNode> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(record -> parse(record.value())).toList();
    }

    static Set<Long> afterIds(List<ConsumerRecord<String, String>> records) {
        var ids = new HashSet<Long>();
        values(records).forEach(event -> ids.add(event.get("after").get("id").asLong()));
        return ids;
    }

    private static ListAppender<ILoggingEvent> captureLogs() {
        var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var appender = new ListAppender<ILoggingEvent>();
        appender.setName("password-check");
        appender.start();
        root.addAppender(appender);
        for (var name : List.of("io.debezium", "org.apache.kafka", "io.refreshorchestrator")) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.INFO);
        }
        return appender;
    }

    private static void stopCapturingLogs(ListAppender<ILoggingEvent> appender) {
        var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(appender);
        ((Logger) LoggerFactory.getLogger("io.debezium")).setLevel(Level.WARN);
        ((Logger) LoggerFactory.getLogger("org.apache.kafka")).setLevel(Level.WARN);
    }

    private static String render(ILoggingEvent event) {
        var text = event.getFormattedMessage();
        return event.getThrowableProxy() == null
                ? text
                : text + ThrowableProxyUtil.asString(event.getThrowableProxy());
    }
}
