package io.refreshorchestrator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The scanner is only a faster way to read what Jackson reads: for any change event Debezium might
 * write, with any mix of unusual but valid JSON (escapes, non-ASCII text, number forms, whitespace,
 * duplicate and reordered fields, the converter's schema wrapper) and any damage (truncated, bytes
 * dropped, inserted or replaced, invalid UTF-8), the parser with its fast path gives exactly what
 * Jackson alone gives: the same change, the same reason to ignore it, or the same reason it is
 * unreadable. One parser reads every event, as a stream task does, so its name memory is exercised
 * across events too.
 */
class EventScannerPropertiesTest {

    private static final long RECORD_TIME = 1_772_445_600_000L;

    /** One per test class, like one per task: the names it remembers carry over. */
    private static final ChangeEventParser PARSER = new ChangeEventParser();

    @Property(tries = 3000)
    void theFastPathReadsWhatJacksonReads(@ForAll long seed) {
        var events = new RandomEvents(new Random(seed));
        byte[] event = events.event().getBytes(StandardCharsets.UTF_8);
        assertSameAsJackson(event);
    }

    @Property(tries = 3000)
    void aDamagedEventIsReadAsJacksonReadsIt(@ForAll long seed) {
        var random = new Random(seed);
        var events = new RandomEvents(random);
        byte[] event = events.event().getBytes(StandardCharsets.UTF_8);
        for (int damage = 1 + random.nextInt(2); damage > 0; damage--) {
            event = events.damage(event);
        }
        assertSameAsJackson(event);
    }

    @Property(tries = 500)
    void theEventsDebeziumWritesTakeTheFastPath(@ForAll long seed) {
        // Debezium's own shape, with plain names and numbers: the scanner must answer itself,
        // or the fast path is a slow path with extra steps.
        var events = new RandomEvents(new Random(seed));
        byte[] event = events.plainDebeziumEvent().getBytes(StandardCharsets.UTF_8);
        assertThat(new EventScanner().scan(event)).as(new String(event)).isNotNull();
        assertSameAsJackson(event);
    }

    @Property(tries = 1000)
    void theRowsOfATransactionAreReadAsJacksonReadsThem(@ForAll long seed) {
        // Rows of one transaction repeat most of their bytes, which the scanner remembers from
        // the last event: variants that differ by a digit, a quote, a space, a missing, added or
        // moved member, or damage, right where remembered bytes end, must still read the same.
        var random = new Random(seed);
        var events = new RandomEvents(random);
        var transaction = events.transaction();
        for (int row = 0; row < 30; row++) {
            byte[] event = transaction.nextRow().getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(10) == 0) {
                event = events.damage(event);
            }
            assertSameAsJackson(event);
        }
    }

    @Property(tries = 1000)
    void theRowsOfATransactionAsDebeziumWritesThemAreReadAsJacksonReadsThem(@ForAll long seed) {
        // Debezium writes the rows of a transaction in one format, each repeating the last but
        // for the row image, the position and the processing time, so after two rows the scanner
        // reads them against a template (EventTemplate). A member that varies, a byte replaced or
        // other damage, a new transaction, a stale duplicate member after a varying one, and the
        // converter's schema wrapper must all still read as Jackson reads them.
        // A parser of its own, as a new task has: what it remembers comes from these rows only.
        var parser = new ChangeEventParser();
        var random = new Random(seed);
        var events = new RandomEvents(random).compact();
        for (int transactions = 0; transactions < 3; transactions++) {
            var transaction = events.debeziumTransaction();
            for (int row = 0; row < 20; row++) {
                byte[] event = transaction.nextRow().getBytes(StandardCharsets.UTF_8);
                if (random.nextInt(15) == 0) {
                    event = events.damage(event);
                }
                assertThat(parser.parse(event, RECORD_TIME))
                        .as(new String(event, StandardCharsets.UTF_8))
                        .isEqualTo(ChangeEventParser.readWithJackson(event, RECORD_TIME));
            }
        }
    }

    @Property(tries = 200)
    void theRowsOfATransactionAsDebeziumWritesThemTakeTheTemplate(@ForAll long seed) {
        // Without variants, damage or duplicate members, and with a processing time that moves
        // on every third row: rows 0 and 1 are scanned in full and make a template, row 2 matches
        // it; row 3 has a new processing time, a miss, so rows 3 and 4 are scanned in full and
        // make one where the processing time is a hole, since it has varied, though it did not
        // between rows 3 and 4; rows 5 to 9 match it. The fast path of a bulk transaction is the
        // template, or it is no faster than a full scan.
        var events = new RandomEvents(new Random(seed)).compact().steady();
        var transaction = events.debeziumTransaction();
        var scanner = new EventScanner();
        for (int row = 0; row < 10; row++) {
            byte[] event = transaction.nextRow().getBytes(StandardCharsets.UTF_8);
            assertThat(scanner.scan(event)).as(new String(event)).isNotNull();
        }
        assertThat(scanner.templateMatches()).isEqualTo(6);
    }

    private static void assertSameAsJackson(byte[] event) {
        assertThat(PARSER.parse(event, RECORD_TIME))
                .as(new String(event, StandardCharsets.UTF_8))
                .isEqualTo(ChangeEventParser.readWithJackson(event, RECORD_TIME));
    }

    /** Debezium-like change events written from a seeded random source. */
    static final class RandomEvents {

        private static final String[] NAMES = {"shop", "orders", "Sales", "t_7", "ordersé", "x"};
        private static final String[] OPS = {"c", "u", "d", "r", "t", "m", "x", ""};
        private static final String[] NUMBERS = {
            "0",
            "-0",
            "7",
            "-12",
            "12.5",
            "-0.25",
            "1e3",
            "2E-4",
            "1.5e+10",
            "99999999999999999",
            "123456789012345678",
            "1234567890123456789",
            "98765432109876543210987654321"
        };
        private static final String[] PIECES = {
            "a",
            "Z",
            " ",
            "9",
            "é",
            "中",
            "𝄞",
            "\\\"",
            "\\\\",
            "\\/",
            "\\n",
            "\\t",
            "\\u0041",
            "\\u00e9",
            "\\ud834\\udd1e",
            "[",
            "}",
            ":",
            ","
        };
        private static final int[] DAMAGE_BYTES = {
            '{', '}', '[', ']', '"', ',', ':', '\\', ' ', 'a', '1', '-', '.', 'e', 0x00, 0x1F, 0x7F,
            0x80, 0xBF, 0xC0, 0xC3, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF
        };

        private final Random random;

        /** Whether events are written without spaces between tokens, as Debezium writes them. */
        private boolean compact;

        /** Whether transactions have no variants (a member changed) in their rows. */
        private boolean steady;

        RandomEvents(Random random) {
            this.random = random;
        }

        RandomEvents compact() {
            compact = true;
            return this;
        }

        RandomEvents steady() {
            steady = true;
            return this;
        }

        /** An event, mostly as Debezium writes it, often with something unusual in it. */
        String event() {
            List<String> members = new ArrayList<>();
            members.add(member("before", chance(3) ? row(2) : "null"));
            members.add(member("after", chance(8) ? value(2) : row(2)));
            if (!chance(15)) {
                members.add(member("source", chance(15) ? value(1) : source()));
            }
            members.add(member("transaction", chance(5) ? value(2) : "null"));
            if (!chance(15)) {
                members.add(member("op", text(OPS)));
            }
            members.add(member("ts_ms", number()));
            if (chance(6)) {
                String odd = pick("status", "id", "schema", "payload", "op", "source", "ts_ms");
                members.add(member(odd, chance(2) ? value(2) : source()));
            }
            if (chance(6)) {
                members.add(member(string(), value(2)));
            }
            if (chance(4)) {
                Collections.shuffle(members, random);
            }
            String envelope = object(members);
            if (chance(3)) {
                String payload = chance(10) ? value(1) : envelope;
                List<String> wrapper = new ArrayList<>();
                wrapper.add(member("schema", value(3)));
                wrapper.add(member("payload", payload));
                if (chance(8)) {
                    Collections.reverse(wrapper);
                }
                envelope = object(wrapper);
            }
            return space() + envelope + space();
        }

        /** Debezium's shape with plain names and numbers, in its field order. */
        String plainDebeziumEvent() {
            long commit = 1_700_000_000_000L + random.nextInt(1_000_000_000);
            String source =
                    object(
                            List.of(
                                    member("version", "\"3.6.1.Final\""),
                                    member("connector", "\"postgresql\""),
                                    member("ts_ms", Long.toString(commit)),
                                    member("sequence", "\"[\\\"100\\\",\\\"200\\\"]\""),
                                    member("schema", "\"" + pick("shop", "public", "Sales") + "\""),
                                    member("table", "\"" + pick("orders", "t_1", "Ünïcode") + "\""),
                                    member("txId", Long.toString(random.nextInt(1 << 30))),
                                    member("lsn", Long.toString(random.nextLong() >>> 8)),
                                    member("xmin", "null")));
            String event =
                    object(
                            List.of(
                                    member("before", chance(2) ? "null" : plainRow()),
                                    member("after", plainRow()),
                                    member("source", source),
                                    member("transaction", "null"),
                                    member("op", "\"" + pick("c", "u", "d", "r", "t") + "\""),
                                    member("ts_ms", Long.toString(commit + 5))));
            String schema =
                    "{\"type\":\"struct\",\"optional\":false,\"fields\":[{\"type\":\"int64\","
                            + "\"field\":\"ts_ms\"}],\"name\":\"pg.shop.orders.Envelope\"}";
            return chance(3)
                    ? object(List.of(member("schema", schema), member("payload", event)))
                    : event;
        }

        /** Rows of one transaction: the same source block but for the position, mostly. */
        Transaction transaction() {
            return new Transaction(false);
        }

        /**
         * Rows of one transaction as Debezium writes them: as {@link #transaction}, and the
         * envelope's {@code ts_ms} is each row's processing time; sometimes the source block also
         * has a stale duplicate {@code lsn} after the real one (the last one wins).
         */
        Transaction debeziumTransaction() {
            return new Transaction(true);
        }

        /** The rows of one transaction, each a variant of the same members. */
        final class Transaction {
            private final List<String[]> source = new ArrayList<>();
            private final List<String[]> tail = new ArrayList<>();
            private final boolean wrapped = chance(3);
            private long lsn = random.nextLong() >>> 20;
            private final boolean processingTime;
            private final boolean staleLsn;
            private long processed;
            private int rows;

            Transaction(boolean debezium) {
                processingTime = debezium;
                staleLsn = debezium && !steady && chance(8);
                long commit = 1_700_000_000_000L + random.nextInt(1_000_000_000);
                processed = commit + 5;
                source.add(new String[] {"version", "\"3.6.1.Final\""});
                source.add(new String[] {"connector", "\"postgresql\""});
                source.add(new String[] {"ts_ms", Long.toString(commit)});
                source.add(new String[] {"sequence", "null"});
                source.add(new String[] {"schema", "\"" + pick("shop", "public") + "\""});
                source.add(new String[] {"table", "\"" + pick("orders", "t_1", "Ünï") + "\""});
                source.add(new String[] {"txId", Long.toString(random.nextInt(1 << 30))});
                source.add(new String[] {"lsn", "null"});
                source.add(new String[] {"xmin", "null"});
                tail.add(new String[] {"transaction", "null"});
                tail.add(new String[] {"op", "\"" + pick("c", "u", "d") + "\""});
                tail.add(new String[] {"ts_ms", Long.toString(commit + 5)});
            }

            String nextRow() {
                lsn += 1 + random.nextInt(chance(4) ? 100_000 : 10);
                List<String[]> block = copy(source);
                for (String[] member : block) {
                    if (member[0].equals("sequence")) {
                        member[1] = "\"[\\\"100\\\",\\\"" + lsn + "\\\"]\"";
                    } else if (member[0].equals("lsn")) {
                        member[1] = Long.toString(lsn);
                    }
                }
                if (staleLsn) {
                    for (int at = 0; at < block.size(); at++) {
                        if (block.get(at)[0].equals("lsn")) {
                            block.add(at + 1, new String[] {"lsn", "42"});
                            break;
                        }
                    }
                }
                List<String[]> rest = copy(tail);
                if (processingTime) {
                    if (steady) {
                        processed += rows > 0 && rows % 3 == 0 ? 1 : 0; // every third row
                    } else {
                        processed += random.nextInt(3); // the same for a few rows, or not
                    }
                    rows++;
                    for (String[] member : rest) {
                        if (member[0].equals("ts_ms")) {
                            member[1] = Long.toString(processed);
                        }
                    }
                }
                if (!steady && chance(4)) {
                    vary(chance(2) ? block : rest);
                }
                if (!steady && chance(15)) {
                    vary(chance(2) ? source : tail); // and it stays so for the next rows
                }
                List<String> members = new ArrayList<>();
                members.add(member("before", "null"));
                members.add(member("after", plainRow()));
                members.add(member("source", object(members(block))));
                members.addAll(members(rest));
                String event = object(members);
                return wrapped
                        ? object(List.of(member("schema", "{}"), member("payload", event)))
                        : event;
            }

            /** One member changed: its value longer, shorter or of another kind, or moved. */
            private void vary(List<String[]> members) {
                if (members.isEmpty()) {
                    return;
                }
                int at = random.nextInt(members.size());
                String[] member = members.get(at);
                switch (random.nextInt(7)) {
                    case 0 -> member[1] = member[1] + pick("0", "9", ".5", "e1", "");
                    case 1 ->
                            member[1] =
                                    member[1].length() > 1
                                            ? member[1].substring(0, member[1].length() - 1)
                                            : member[1];
                    case 2 -> member[1] = value(1);
                    case 3 -> member[1] = " " + member[1] + pick(" ", "\n", "");
                    case 4 -> members.remove(at);
                    case 5 -> members.add(random.nextInt(members.size() + 1), member.clone());
                    default -> Collections.swap(members, at, random.nextInt(members.size()));
                }
            }

            private List<String[]> copy(List<String[]> members) {
                List<String[]> copy = new ArrayList<>();
                for (String[] member : members) {
                    copy.add(member.clone());
                }
                return copy;
            }

            private List<String> members(List<String[]> members) {
                List<String> written = new ArrayList<>();
                for (String[] member : members) {
                    written.add(member(member[0], member[1]));
                }
                return written;
            }
        }

        /** The event with one piece of damage: cut short, a byte dropped, added or replaced. */
        byte[] damage(byte[] event) {
            if (event.length == 0) {
                return new byte[] {(byte) pickByte()};
            }
            int at = random.nextInt(event.length);
            var out = new java.io.ByteArrayOutputStream();
            switch (random.nextInt(4)) {
                case 0 -> out.write(event, 0, at);
                case 1 -> {
                    out.write(event, 0, at);
                    out.write(event, at + 1, event.length - at - 1);
                }
                case 2 -> {
                    out.write(event, 0, at);
                    out.write(pickByte());
                    out.write(event, at, event.length - at);
                }
                default -> {
                    out.write(event, 0, at);
                    out.write(pickByte());
                    out.write(event, at + 1, event.length - at - 1);
                }
            }
            return out.toByteArray();
        }

        private String source() {
            List<String> members = new ArrayList<>();
            members.add(member("version", "\"3.6.1.Final\""));
            members.add(member("connector", "\"postgresql\""));
            members.add(member("ts_ms", number()));
            members.add(
                    member("sequence", "\"[\\\"100\\\",\\\"" + random.nextInt(1000) + "\\\"]\""));
            if (!chance(12)) {
                members.add(member("schema", text(NAMES)));
            }
            if (!chance(12)) {
                members.add(member("table", text(NAMES)));
            }
            members.add(member("txId", number()));
            members.add(member("lsn", number()));
            members.add(member("xmin", "null"));
            if (chance(6)) {
                members.add(member(pick("schema", "table", "txId", "lsn", "ts_ms"), value(1)));
            }
            if (chance(4)) {
                Collections.shuffle(members, random);
            }
            return object(members);
        }

        /** A row image as Debezium writes one: plain column names, any scalar values. */
        private String plainRow() {
            List<String> members = new ArrayList<>();
            for (int column = random.nextInt(7); column > 0; column--) {
                members.add(member(pick("id", "title", "amount", "note", "prénom"), value(0)));
            }
            return object(members);
        }

        private String row(int depth) {
            List<String> members = new ArrayList<>();
            for (int column = random.nextInt(7); column > 0; column--) {
                members.add(member(string(), value(depth)));
            }
            return object(members);
        }

        /** A text field: mostly a plain name, sometimes escaped, non-ASCII or of another type. */
        private String text(String[] usual) {
            return switch (random.nextInt(12)) {
                case 0 -> string();
                case 1 -> value(1);
                case 2 -> "null";
                default -> "\"" + usual[random.nextInt(usual.length)] + "\"";
            };
        }

        /** A number field: mostly a plain integer, sometimes any number, quoted, or no number. */
        private String number() {
            return switch (random.nextInt(12)) {
                case 0 -> NUMBERS[random.nextInt(NUMBERS.length)];
                case 1 -> "\"" + pick("123", " 45 ", "x", "-6", "1.5") + "\"";
                case 2 -> value(1);
                case 3 -> "null";
                default -> Long.toString(random.nextLong() >>> (1 + random.nextInt(62)));
            };
        }

        private String value(int depth) {
            int kind = random.nextInt(depth > 0 ? 8 : 6);
            return switch (kind) {
                case 0 -> "null";
                case 1 -> pick("true", "false");
                case 2, 3 -> NUMBERS[random.nextInt(NUMBERS.length)];
                case 4, 5 -> string();
                case 6 -> row(depth - 1);
                default -> {
                    List<String> elements = new ArrayList<>();
                    for (int n = random.nextInt(4); n > 0; n--) {
                        elements.add(value(depth - 1));
                    }
                    yield "[" + space() + String.join("," + space(), elements) + space() + "]";
                }
            };
        }

        private String string() {
            var text = new StringBuilder("\"");
            for (int n = random.nextInt(12); n > 0; n--) {
                text.append(chance(3) ? PIECES[random.nextInt(PIECES.length)] : "k");
            }
            return text.append('"').toString();
        }

        private String object(List<String> members) {
            return "{" + space() + String.join("," + space(), members) + space() + "}";
        }

        private String member(String name, String value) {
            String key = name.startsWith("\"") ? name : "\"" + name + "\"";
            return key + space() + ":" + space() + value;
        }

        private String space() {
            return !compact && chance(10) ? pick(" ", "\n", "\t ", "\r\n  ") : "";
        }

        private String pick(String... choices) {
            return choices[random.nextInt(choices.length)];
        }

        private int pickByte() {
            return DAMAGE_BYTES[random.nextInt(DAMAGE_BYTES.length)];
        }

        private boolean chance(int oneIn) {
            return random.nextInt(oneIn) == 0;
        }
    }
}
