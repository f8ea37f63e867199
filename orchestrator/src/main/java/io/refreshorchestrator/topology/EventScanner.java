package io.refreshorchestrator.topology;

import static io.refreshorchestrator.topology.JsonCursor.GIVE_UP;

import java.nio.charset.StandardCharsets;

/**
 * The fast path of {@link ChangeEventParser}: reads the fields it judges straight from a change
 * event's UTF-8 bytes while checking the whole value is strict JSON ({@link JsonCursor}), with no
 * tokens, field-name table or strings for the row images and the schema it skips. A row of a bulk
 * transaction costs even less: the rows repeat each other but for a few members, so after two rows
 * scanned in full the next ones are compared with the last as an {@link EventTemplate}, and only
 * the members that vary are read.
 *
 * <p>It reads only the forms Debezium's JSON converter writes and gives up (returns null, and
 * Jackson decides, with its error message) on anything else: an escape in a field name or in a
 * value it reads, a number or boolean where text is expected, a quoted or fractional number, an
 * integer of more than 18 digits, and every value its cursor does not accept. Where it answers it
 * reads what {@link EventFields#read} reads: the same last-wins and lenient rules, field by field
 * ({@code EventScannerPropertiesTest} holds it to that).
 *
 * <p>Not thread-safe: one per stream task.
 */
final class EventScanner {

    /** Longest integer read without an overflow check. */
    private static final int MAX_LONG_DIGITS = 18;

    // The field names read, packed as by name(): one comparison each.
    private static final long OP_NAME = pack("op");
    private static final long TS_MS_NAME = pack("ts_ms");
    private static final long SOURCE_NAME = pack("source");
    private static final long STATUS_NAME = pack("status");
    private static final long ID_NAME = pack("id");
    private static final long SCHEMA_NAME = pack("schema");
    private static final long PAYLOAD_NAME = pack("payload");
    private static final long TABLE_NAME = pack("table");
    private static final long TX_ID_NAME = pack("txId");
    private static final long LSN_NAME = pack("lsn");

    /** No field name read is longer; a longer one packs to {@link #OTHER_NAME}. */
    private static final int MAX_NAME = 7;

    private static final long OTHER_NAME = -1;

    // What a member sets in EventFields.
    private static final int SKIPPED = 0;
    private static final int OP = 1;
    private static final int ENVELOPE_MILLIS = 2;
    private static final int SOURCE = 3;
    private static final int STATUS = 4;
    private static final int ID = 5;
    private static final int SCHEMA = 6;
    private static final int PAYLOAD = 7;
    private static final int SOURCE_SCHEMA = 8;
    private static final int SOURCE_TABLE = 9;
    private static final int SOURCE_MILLIS = 10;
    private static final int TX_ID = 11;
    private static final int LSN = 12;

    // The kinds of object read, each with its memo.
    private static final int ROOT = 0;
    private static final int PAYLOAD_ENVELOPE = 1;
    private static final int SOURCE_BLOCK = 2;

    /**
     * Full scans in a row before one makes a template. The first scan after a miss sees what
     * changed since an earlier event (a new transaction: its id, its commit time); the second sees
     * only what changes from row to row, so its template has the fewest holes.
     */
    private static final int SCANS_BEFORE_TEMPLATE = 2;

    /** Events scanned in full, and no template made, after a template that never matched. */
    private static final int TEMPLATE_BACKOFF = 16;

    private final MemberMemo[] memos = {new MemberMemo(), new MemberMemo(), new MemberMemo()};

    private final EventTemplate template = new EventTemplate();
    private final EventTemplate.Reader holeReader = this::readValue;

    private int fullScans;

    private int templateHits;
    private int templateRest;
    private long templateMatches;

    // The event being scanned in full: its root, and the fields each object set so far (by bit).
    private EventFields scanRoot;
    private long rootFieldsSet;
    private long payloadFieldsSet;

    private final JsonCursor json = new JsonCursor();

    // The value just read by readText / readLong.
    private String text;
    private Long number;

    private final NameMemory ops = new NameMemory();
    private final NameMemory schemas = new NameMemory();
    private final NameMemory tables = new NameMemory();

    /** The fields of {@code value}, or null when Jackson must decide. */
    EventFields scan(byte[] value) {
        json.reset(value);
        try {
            EventFields matched = tryTemplate(value);
            return matched != null ? matched : scanWhole(value);
        } finally {
            json.reset(null);
            text = null;
            number = null;
            scanRoot = null;
        }
    }

    /** How many events so far were read with the {@link EventTemplate}. */
    long templateMatches() {
        return templateMatches;
    }

    /** The fields of {@code value} read with the {@link EventTemplate}, or null. */
    private EventFields tryTemplate(byte[] value) {
        if (!template.ready()) {
            return null;
        }
        EventFields matched = template.match(value, holeReader);
        if (matched != null) {
            templateHits++;
            templateMatches++;
            return matched;
        }
        if (templateHits == 0) {
            templateRest = TEMPLATE_BACKOFF; // events here do not repeat each other
        }
        fullScans = 0;
        return null;
    }

    /** The fields of {@code value} read in one full pass, which also makes the next template. */
    private EventFields scanWhole(byte[] value) {
        int i = json.whitespace(0);
        if (i >= json.end || json.in[i] != '{') {
            return null;
        }
        var root = new EventFields();
        scanRoot = root;
        rootFieldsSet = payloadFieldsSet = 0;
        template.record();
        i = readMembers(i, root, ROOT);
        if (i == GIVE_UP || json.whitespace(i) != json.end) {
            return null;
        }
        fullScans++;
        if (templateRest > 0) {
            templateRest--;
        } else if (fullScans >= SCANS_BEFORE_TEMPLATE) {
            template.finish(value, root);
            templateHits = 0;
        }
        return root;
    }

    /**
     * The members of the object at {@code i} into {@code fields}, as {@link EventFields#read} reads
     * them: an envelope ({@link #ROOT}, where the payload may be, or {@link #PAYLOAD_ENVELOPE}) or
     * a {@link #SOURCE_BLOCK}. A member that repeats the last event's at its position is taken from
     * the {@link MemberMemo} of its kind.
     */
    private int readMembers(int i, EventFields fields, int kind) {
        MemberMemo memo = memos[kind];
        i = json.whitespace(i + 1);
        if (i < json.end && json.in[i] == '}') {
            return i + 1;
        }
        for (int ordinal = 0; ; ordinal++) {
            int repeated = memo.match(ordinal, json.in, i, json.end);
            if (repeated > 0) {
                set(memo.field(ordinal), memo.value(ordinal), fields);
                if (memo.varied(ordinal)) {
                    // the same now, but it varies: a hole in the template all the same
                    int valueStart = json.colon(json.string(i) + 1);
                    template.hole(
                            valueStart, i + repeated, memo.field(ordinal), fields != scanRoot);
                }
                i += repeated;
            } else {
                int start = i;
                int nameEnd = json.string(i);
                if (nameEnd == GIVE_UP || json.escaped) {
                    return GIVE_UP;
                }
                int field = field(name(i + 1, nameEnd), kind);
                i = json.colon(nameEnd + 1);
                if (i == GIVE_UP || i >= json.end) {
                    return GIVE_UP;
                }
                byte first = json.in[i];
                int valueStart = i;
                i = readValue(i, field, fields);
                if (i == GIVE_UP) {
                    return GIVE_UP;
                }
                if (field != SOURCE && field != PAYLOAD) {
                    // An object read here holds holes of its own; any other value of these stays
                    // in the template's bytes, so only an equal one matches.
                    template.hole(valueStart, i, field, fields != scanRoot);
                }
                if (field == SOURCE || field == PAYLOAD || first == '{' || first == '[') {
                    memo.forget(ordinal);
                } else {
                    memo.remember(ordinal, json.in, start, i, field, valueRead());
                }
            }
            i = json.next(i, '}');
            if (i == GIVE_UP || json.in[i - 1] == '}') {
                return i;
            }
        }
    }

    /** The field a member name sets in an object of {@code kind}. */
    private static int field(long name, int kind) {
        if (kind == SOURCE_BLOCK) {
            return name == SCHEMA_NAME
                    ? SOURCE_SCHEMA
                    : name == TABLE_NAME
                            ? SOURCE_TABLE
                            : name == TS_MS_NAME
                                    ? SOURCE_MILLIS
                                    : name == TX_ID_NAME ? TX_ID : name == LSN_NAME ? LSN : SKIPPED;
        }
        if (name == OP_NAME) {
            return OP;
        } else if (name == TS_MS_NAME) {
            return ENVELOPE_MILLIS;
        } else if (name == SOURCE_NAME) {
            return SOURCE;
        } else if (name == STATUS_NAME) {
            return STATUS;
        } else if (name == ID_NAME) {
            return ID;
        } else if (name == SCHEMA_NAME) {
            return SCHEMA;
        } else if (name == PAYLOAD_NAME && kind == ROOT) {
            return PAYLOAD;
        }
        return SKIPPED; // before, after, transaction, ...
    }

    /** Reads the value at {@code i} for {@code field} into {@code fields}. */
    private int readValue(int i, int field, EventFields fields) {
        text = null;
        number = null;
        int after =
                switch (field) {
                    case OP -> readText(i, ops);
                    case SOURCE_SCHEMA -> readText(i, schemas);
                    case SOURCE_TABLE -> readText(i, tables);
                    case ENVELOPE_MILLIS, SOURCE_MILLIS, TX_ID, LSN -> readLong(i);
                    case SOURCE -> readSource(i, fields);
                    case PAYLOAD -> readPayload(i, fields);
                    default -> json.skip(i);
                };
        if (after != GIVE_UP) {
            set(field, valueRead(), fields);
        }
        return after;
    }

    /** What the value just read set: text, a number, or nothing (null). */
    private Object valueRead() {
        return text != null ? text : number;
    }

    /**
     * Sets {@code field} of {@code fields} as reading a member with {@code value} does. A field set
     * twice in one object of a full scan (a duplicate member) keeps the event from being a
     * template: its value depends on the order of the members, which a template does not replay.
     */
    private void set(int field, Object value, EventFields fields) {
        if (field != SKIPPED) {
            long bit = 1L << field;
            if (fields == scanRoot) {
                if ((rootFieldsSet & bit) != 0) {
                    template.refuse();
                }
                rootFieldsSet |= bit;
            } else {
                if ((payloadFieldsSet & bit) != 0) {
                    template.refuse();
                }
                payloadFieldsSet |= bit;
            }
        }
        switch (field) {
            case OP -> fields.op = (String) value;
            case ENVELOPE_MILLIS -> fields.envelopeMillis = (Long) value;
            case STATUS -> fields.hasStatus = true;
            case ID -> fields.hasId = true;
            case SCHEMA -> fields.hasSchema = true;
            case SOURCE_SCHEMA -> fields.sourceSchema = (String) value;
            case SOURCE_TABLE -> fields.sourceTable = (String) value;
            case SOURCE_MILLIS -> fields.sourceMillis = (Long) value;
            case TX_ID -> fields.txId = (Long) value;
            case LSN -> fields.lsn = (Long) value;
            default -> {
                // SKIPPED; SOURCE and PAYLOAD set their fields as they are read
            }
        }
    }

    private int readSource(int i, EventFields fields) {
        if (json.in[i] != '{') {
            fields.hasSource = false;
            fields.sourceSchema = fields.sourceTable = null;
            fields.sourceMillis = fields.txId = fields.lsn = null;
            return json.skip(i);
        }
        fields.hasSource = true;
        return readMembers(i, fields, SOURCE_BLOCK);
    }

    private int readPayload(int i, EventFields fields) {
        fields.hasPayload = true;
        fields.payloadIsNull = false;
        fields.payload = null;
        if (i < json.end && json.in[i] == '{') {
            var payload = new EventFields();
            fields.payload = payload;
            return readMembers(i, payload, PAYLOAD_ENVELOPE);
        }
        int after = json.skip(i);
        fields.payloadIsNull = after != GIVE_UP && json.in[i] == 'n';
        return after;
    }

    /**
     * A string without escapes (into {@link #text}, from {@code names}), null, or an object or
     * array (skipped; null); anything else gives up.
     */
    private int readText(int i, NameMemory names) {
        text = null;
        if (i >= json.end) {
            return GIVE_UP;
        }
        byte first = json.in[i];
        if (first == '"') {
            int close = json.string(i);
            if (close == GIVE_UP || json.escaped) {
                return GIVE_UP;
            }
            text = names.name(json.in, i + 1, close, json.nonAscii);
            return close + 1;
        }
        return first == 'n' || first == '{' || first == '[' ? json.skip(i) : GIVE_UP;
    }

    /**
     * An integer of at most 18 digits (into {@link #number}), null, or an object or array (skipped;
     * null); anything else gives up.
     */
    private int readLong(int i) {
        number = null;
        if (i >= json.end) {
            return GIVE_UP;
        }
        byte[] in = json.in;
        byte first = in[i];
        if (first == 'n' || first == '{' || first == '[') {
            return json.skip(i);
        }
        boolean negative = first == '-';
        int start = negative ? i + 1 : i;
        int digits = json.digits(start);
        int after = start + digits;
        if (digits == 0
                || digits > MAX_LONG_DIGITS
                || (digits > 1 && in[start] == '0')
                || (after < json.end
                        && (in[after] == '.' || in[after] == 'e' || in[after] == 'E'))) {
            return GIVE_UP;
        }
        long value = 0;
        int k = start;
        if ((digits & 1) != 0) {
            value = in[k++] - '0';
        }
        for (; k < after; k += 2) {
            value = value * 100 + (in[k] - '0') * 10 + (in[k + 1] - '0'); // half the chain
        }
        number = negative ? -value : value;
        return after;
    }

    /**
     * The name between {@code start} and {@code end} (exclusive), its bytes packed first byte
     * lowest; {@link #OTHER_NAME} when longer than any name read. A name has no zero byte (a
     * control character is not accepted in a string), so the packing is unambiguous.
     */
    private long name(int start, int end) {
        if (end - start > MAX_NAME) {
            return OTHER_NAME;
        }
        byte[] in = json.in;
        long packed = 0;
        for (int k = end - 1; k >= start; k--) {
            packed = packed << 8 | (in[k] & 0xFF);
        }
        return packed;
    }

    private static long pack(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        long packed = 0;
        for (int k = bytes.length - 1; k >= 0; k--) {
            packed = packed << 8 | bytes[k];
        }
        return packed;
    }
}
