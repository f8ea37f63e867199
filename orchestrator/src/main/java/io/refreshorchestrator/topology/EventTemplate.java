package io.refreshorchestrator.topology;

import static io.refreshorchestrator.topology.JsonCursor.GIVE_UP;

import java.util.Arrays;

/**
 * The last fully scanned event as a template for the next: its bytes, with holes where it differed
 * from the event before it (the row image, the position, the processing time), and the fields it
 * read. The rows of a transaction repeat everything else byte for byte, so the next row costs
 * comparing the bytes between the holes and reading the values in them, not a scan of the whole
 * event.
 *
 * <p>Equal bytes read the same, in the same place: the text between two holes, equal to the
 * template's, takes the reader through the same members in the same state, and each hole holds one
 * whole value, checked and read by the same code the full scan uses for that member ({@link
 * Reader}). So a match gives what a full scan would: the template's fields with the holes' values
 * set again. That needs each field set by one member only (last wins otherwise): a template whose
 * event set a field twice is never made. A {@code source} or {@code payload} member is never a hole
 * itself: an object there holds holes of its own, any other value stays in the template's bytes.
 * Anything else (a byte that differs, a value the reader does not accept) is no match, and the
 * event is scanned in full.
 *
 * <p>Not thread-safe. A full scan records into it ({@link #record}, {@link #hole}, {@link #refuse},
 * {@link #finish}); {@link #match} reads with it.
 */
final class EventTemplate {

    /** Events with more holes get no template. */
    static final int MAX_HOLES = 32;

    /**
     * Longer events get no template: it keeps a copy of its event for as long as it lasts, and a
     * row that large costs its row image anyway.
     */
    static final int MAX_BYTES = 64 * 1024;

    /** Reads the value of a hole: as {@link EventScanner} reads a member's value for its field. */
    interface Reader {
        /** Reads the value at {@code i} for {@code field} into {@code into}; the index after it. */
        int read(int i, int field, EventFields into);
    }

    private byte[] bytes = new byte[0];
    private int length;
    private final int[] starts = new int[MAX_HOLES];
    private final int[] ends = new int[MAX_HOLES];
    private final int[] fields = new int[MAX_HOLES];
    private final boolean[] inPayload = new boolean[MAX_HOLES];
    private int holes;
    private boolean refused;

    /** The fields the template's event read; null while there is no template. */
    private EventFields read;

    /** Whether there is a template to match. */
    boolean ready() {
        return read != null;
    }

    /** A full scan starts: the template it replaces is gone, whatever the scan finds. */
    void record() {
        read = null;
        holes = 0;
        refused = false;
    }

    /**
     * The scan read the value from {@code start} to {@code end} (exclusive) for {@code field}, of
     * the payload's fields or the root's: a hole.
     */
    void hole(int start, int end, int field, boolean payload) {
        if (holes == MAX_HOLES) {
            refused = true;
            return;
        }
        starts[holes] = start;
        ends[holes] = end;
        fields[holes] = field;
        inPayload[holes] = payload;
        holes++;
    }

    /** The event being scanned cannot be a template. */
    void refuse() {
        refused = true;
    }

    /** The scan of {@code in} read {@code root}: they become the template, unless refused. */
    void finish(byte[] in, EventFields root) {
        if (refused || in.length > MAX_BYTES) {
            return;
        }
        if (bytes.length < in.length) {
            bytes = new byte[Math.max(in.length, 2 * bytes.length)];
        }
        System.arraycopy(in, 0, bytes, 0, in.length);
        length = in.length;
        read = root.copy();
    }

    /** The fields of {@code in} when it matches the template, else null. */
    EventFields match(byte[] in, Reader reader) {
        if (read == null) {
            return null;
        }
        EventFields root = read.copy();
        int i = 0;
        int from = 0;
        for (int h = 0; h < holes; h++) {
            int segment = starts[h] - from;
            if (i + segment > in.length
                    || !Arrays.equals(in, i, i + segment, bytes, from, starts[h])) {
                return null;
            }
            i = reader.read(i + segment, fields[h], inPayload[h] ? root.payload : root);
            if (i == GIVE_UP) {
                return null;
            }
            from = ends[h];
        }
        int rest = length - from;
        return i + rest == in.length && Arrays.equals(in, i, in.length, bytes, from, length)
                ? root
                : null;
    }
}
