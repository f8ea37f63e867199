package io.refreshorchestrator.topology;

import java.util.Arrays;

/**
 * The members of one kind of object (the source block, an envelope) as the last event had them, by
 * position: their bytes and what reading them set. The rows of a transaction repeat most of their
 * source block byte for byte (connector, database, schema, table, transaction, commit time; all but
 * the position), so a member whose bytes equal the remembered ones costs a comparison, not a scan.
 *
 * <p>Equal bytes read the same: the remembered member was read whole (name, colon, value) and its
 * value checked, and a match also needs the byte after it to end the member ({@code ,} or {@code
 * }}), so a number or a name cannot continue past the remembered bytes. Only scalar members are
 * remembered; an object or array (a row image) rarely repeats. Not thread-safe.
 */
final class MemberMemo {

    /** Members remembered per object; later ones are read every time. */
    static final int MEMBERS = 24;

    /** Longer members are read every time. */
    static final int MAX_BYTES = 96;

    private final byte[][] bytes = new byte[MEMBERS][MAX_BYTES];
    private final int[] lengths = new int[MEMBERS]; // 0: nothing remembered
    private final int[] fields = new int[MEMBERS];
    private final Object[] values = new Object[MEMBERS];
    private final boolean[] varied = new boolean[MEMBERS];

    /**
     * Whether the member at {@code ordinal} ever differed from the one remembered there: a
     * position, a processing time, a transaction's id, the table in a stream of many. An event
     * template reads such a member every time, even when it repeats.
     */
    boolean varied(int ordinal) {
        return varied[ordinal];
    }

    /**
     * The length of the member remembered at {@code ordinal} when the bytes at {@code i} repeat it
     * and end the member there, else 0.
     */
    int match(int ordinal, byte[] in, int i, int end) {
        if (ordinal >= MEMBERS) {
            return 0;
        }
        int length = lengths[ordinal];
        if (length == 0 || i + length >= end) {
            return 0;
        }
        byte after = in[i + length];
        if (after != ',' && after != '}') {
            return 0;
        }
        return Arrays.equals(in, i, i + length, bytes[ordinal], 0, length) ? length : 0;
    }

    /** The field the member at {@code ordinal} set, as {@link EventScanner} numbers them. */
    int field(int ordinal) {
        return fields[ordinal];
    }

    /** The value the member at {@code ordinal} set: a String, a Long, or null. */
    Object value(int ordinal) {
        return values[ordinal];
    }

    /** Remembers the member read from {@code start} to {@code end} (exclusive). */
    void remember(int ordinal, byte[] in, int start, int end, int field, Object value) {
        if (ordinal >= MEMBERS) {
            return;
        }
        if (lengths[ordinal] != 0) {
            varied[ordinal] = true; // it replaces another member at its position
        }
        int length = end - start;
        if (length > MAX_BYTES) {
            lengths[ordinal] = 0;
            return;
        }
        System.arraycopy(in, start, bytes[ordinal], 0, length);
        lengths[ordinal] = length;
        fields[ordinal] = field;
        values[ordinal] = value;
    }

    /** Forgets the member at {@code ordinal}: the one read there is not remembered. */
    void forget(int ordinal) {
        if (ordinal < MEMBERS) {
            if (lengths[ordinal] != 0) {
                varied[ordinal] = true; // a row image where null was: an update after inserts
            }
            lengths[ordinal] = 0;
            values[ordinal] = null;
        }
    }
}
