package io.refreshorchestrator.topology;

import static io.refreshorchestrator.topology.Jobs.ORDERS;
import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.discovery.RelationName;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Debezium change-event reader, field by field. */
class ChangeEventParserTest {

    private static final Instant COMMIT = Instant.parse("2026-03-02T09:59:59.123Z");
    private static final long RECORD_TIME = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();

    @ParameterizedTest
    @ValueSource(strings = {"c", "u", "d", "r", "t"})
    void shouldReadEveryDataOperationAsAChange(String op) {
        // given an event of each kind that can change what a view shows
        String event =
                DebeziumEvent.insertInto(ORDERS).op(op).committedAt(COMMIT).txId(7).lsn(99).bare();

        // then it is a change of its table with commit time, transaction and position
        assertThat(parse(event))
                .isEqualTo(new Parsed.Value<>(new TableChange(ORDERS, COMMIT, 7L, 99L)));
    }

    @Test
    void shouldKeepTableNamesAsTheCatalogSpellsThem() {
        // given a quoted mixed-case table name with a dot in it
        var table = new RelationName("Sales", "Orders.2026");

        // then the name is taken from the source block, not from the topic
        assertThat(parse(DebeziumEvent.insertInto(table).bare()))
                .isInstanceOfSatisfying(
                        Parsed.Value.class,
                        value ->
                                assertThat(((TableChange) value.value()).table()).isEqualTo(table));
    }

    @Test
    void shouldFallBackToTheEnvelopeTimeThenTheRecordTime() {
        // given events without source.ts_ms: a change must not be lost for want of a timestamp
        String withEnvelopeTime =
                """
                {"op":"u","ts_ms":1772445599000,"source":{"schema":"shop","table":"orders"}}""";
        String withoutAnyTime =
                """
                {"op":"u","source":{"schema":"shop","table":"orders"}}""";

        // then the envelope's processing time, then the record timestamp, stand in
        assertThat(parse(withEnvelopeTime))
                .isEqualTo(
                        new Parsed.Value<>(
                                new TableChange(
                                        ORDERS, Instant.ofEpochMilli(1772445599000L), null, null)));
        assertThat(parse(withoutAnyTime))
                .isEqualTo(
                        new Parsed.Value<>(
                                new TableChange(
                                        ORDERS, Instant.ofEpochMilli(RECORD_TIME), null, null)));
    }

    @Test
    void shouldAcceptNumbersWrittenAsStrings() {
        String event =
                """
                {"op":"c","source":{"schema":"shop","table":"orders","ts_ms":"1772445599123",\
                "txId":"7","lsn":"99"}}""";

        assertThat(parse(event))
                .isEqualTo(new Parsed.Value<>(new TableChange(ORDERS, COMMIT, 7L, 99L)));
    }

    @Test
    void shouldIgnoreWhatIsNotAChange() {
        assertThat(new ChangeEventParser().parse(null, RECORD_TIME))
                .isInstanceOf(Parsed.Ignored.class);
        assertThat(parse("null")).isInstanceOf(Parsed.Ignored.class);
        assertThat(parse("{\"schema\":{\"type\":\"struct\"},\"payload\":null}"))
                .isInstanceOf(Parsed.Ignored.class);
        assertThat(parse("{\"status\":\"BEGIN\",\"id\":\"571:53195829\",\"ts_ms\":1}"))
                .isInstanceOf(Parsed.Ignored.class);
        assertThat(parse("{\"op\":\"m\",\"source\":{}}")).isInstanceOf(Parsed.Ignored.class);
    }

    @Test
    void shouldNameWhatIsWrongWithAnUnreadableEvent() {
        assertThat(reason("")).isEqualTo("empty value");
        assertThat(reason("[1,2]")).isEqualTo("not a JSON object");
        assertThat(reason("{\"schema\":{},\"payload\":\"x\"}"))
                .isEqualTo("field 'payload' is not a JSON object");
        assertThat(reason("{\"after\":{}}")).isEqualTo("missing field 'op'");
        assertThat(reason("{\"op\":\"x\"}")).isEqualTo("unknown op 'x'");
        assertThat(reason("{\"op\":\"c\"}")).isEqualTo("missing field 'source'");
        assertThat(reason("{\"op\":\"c\",\"source\":{\"table\":\"orders\"}}"))
                .isEqualTo("missing field 'source.schema'");
        assertThat(reason("{\"op\":\"c\",\"source\":{\"schema\":\"shop\",\"table\":\"\"}}"))
                .isEqualTo("missing field 'source.table'");
        assertThat(reason("{\"op\":\"c\"} trailing")).startsWith("malformed JSON");
    }

    /** What the parser reads, after checking that Jackson alone reads the same. */
    private static Parsed<TableChange> parse(String json) {
        byte[] value = json.getBytes(StandardCharsets.UTF_8);
        Parsed<TableChange> parsed = new ChangeEventParser().parse(value, RECORD_TIME);
        assertThat(parsed).isEqualTo(ChangeEventParser.readWithJackson(value, RECORD_TIME));
        return parsed;
    }

    private static String reason(String json) {
        Parsed<TableChange> parsed = parse(json);
        assertThat(parsed).isInstanceOf(Parsed.Invalid.class);
        return ((Parsed.Invalid<TableChange>) parsed).reason();
    }
}
