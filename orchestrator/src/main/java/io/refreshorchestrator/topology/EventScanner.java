package io.refreshorchestrator.topology;

import static io.refreshorchestrator.topology.JsonCursor.GIVE_UP;

import java.nio.charset.StandardCharsets;

/**
 * The fast path of {@link ChangeEventParser}: reads the fields it judges straight from a change
 * event's UTF-8 bytes while checking the whole value is strict JSON ({@link JsonCursor}), with no
 * tokens, field-name table or strings for the row images and the schema it skips. A row of a bulk
 * transaction then costs one pass over its bytes.
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
    private static final long OP = pack("op");
    private static final long TS_MS = pack("ts_ms");
    private static final long SOURCE = pack("source");
    private static final long STATUS = pack("status");
    private static final long ID = pack("id");
    private static final long SCHEMA = pack("schema");
    private static final long PAYLOAD = pack("payload");
    private static final long TABLE = pack("table");
    private static final long TX_ID = pack("txId");
    private static final long LSN = pack("lsn");

    /** No field name read is longer; a longer one packs to {@link #OTHER_NAME}. */
    private static final int MAX_NAME = 7;

    private static final long OTHER_NAME = -1;

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
            int i = json.whitespace(0);
            if (i >= json.end || json.in[i] != '{') {
                return null;
            }
            var root = new EventFields();
            i = readObject(i, root, true);
            return i != GIVE_UP && json.whitespace(i) == json.end ? root : null;
        } finally {
            json.reset(null);
            text = null;
            number = null;
        }
    }

    /** The object at {@code i} into {@code fields}; {@code root}: the payload may be in it. */
    private int readObject(int i, EventFields fields, boolean root) {
        i = json.whitespace(i + 1);
        if (i < json.end && json.in[i] == '}') {
            return i + 1;
        }
        while (true) {
            int nameEnd = json.string(i);
            if (nameEnd == GIVE_UP || json.escaped) {
                return GIVE_UP;
            }
            long name = name(i + 1, nameEnd);
            i = json.colon(nameEnd + 1);
            if (i == GIVE_UP) {
                return GIVE_UP;
            }
            if (name == OP) {
                i = readText(i, ops);
                fields.op = text;
            } else if (name == TS_MS) {
                i = readLong(i);
                fields.envelopeMillis = number;
            } else if (name == SOURCE) {
                i = readSource(i, fields);
            } else if (name == STATUS) {
                fields.hasStatus = true;
                i = json.skip(i);
            } else if (name == ID) {
                fields.hasId = true;
                i = json.skip(i);
            } else if (name == SCHEMA) {
                fields.hasSchema = true;
                i = json.skip(i);
            } else if (root && name == PAYLOAD) {
                i = readPayload(i, fields);
            } else {
                i = json.skip(i); // before, after, transaction, ...
            }
            i = json.next(i, '}');
            if (i == GIVE_UP || json.in[i - 1] == '}') {
                return i;
            }
        }
    }

    private int readSource(int i, EventFields fields) {
        if (i >= json.end || json.in[i] != '{') {
            fields.hasSource = false;
            fields.sourceSchema = fields.sourceTable = null;
            fields.sourceMillis = fields.txId = fields.lsn = null;
            return json.skip(i);
        }
        fields.hasSource = true;
        i = json.whitespace(i + 1);
        if (i < json.end && json.in[i] == '}') {
            return i + 1;
        }
        while (true) {
            int nameEnd = json.string(i);
            if (nameEnd == GIVE_UP || json.escaped) {
                return GIVE_UP;
            }
            long name = name(i + 1, nameEnd);
            i = json.colon(nameEnd + 1);
            if (i == GIVE_UP) {
                return GIVE_UP;
            }
            if (name == SCHEMA) {
                i = readText(i, schemas);
                fields.sourceSchema = text;
            } else if (name == TABLE) {
                i = readText(i, tables);
                fields.sourceTable = text;
            } else if (name == TS_MS) {
                i = readLong(i);
                fields.sourceMillis = number;
            } else if (name == TX_ID) {
                i = readLong(i);
                fields.txId = number;
            } else if (name == LSN) {
                i = readLong(i);
                fields.lsn = number;
            } else {
                i = json.skip(i);
            }
            i = json.next(i, '}');
            if (i == GIVE_UP || json.in[i - 1] == '}') {
                return i;
            }
        }
    }

    private int readPayload(int i, EventFields fields) {
        fields.hasPayload = true;
        fields.payloadIsNull = false;
        fields.payload = null;
        if (i < json.end && json.in[i] == '{') {
            var payload = new EventFields();
            fields.payload = payload;
            return readObject(i, payload, false);
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
