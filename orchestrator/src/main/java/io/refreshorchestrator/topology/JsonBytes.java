package io.refreshorchestrator.topology;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte-level checks of JSON text in UTF-8 for {@link JsonCursor}: string contents, escapes, UTF-8
 * sequences and digit runs. Each takes the bytes, an index and the end, and returns the index after
 * what it checked, or {@link JsonCursor#GIVE_UP}. The two long runs (plain string text, digits) are
 * tested eight bytes at a time.
 */
final class JsonBytes {

    private static final int GIVE_UP = JsonCursor.GIVE_UP;

    /** Eight bytes as one long, first byte lowest. */
    private static final VarHandle WORD =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LOWS = 0x7F7F7F7F7F7F7F7FL;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long SPACES = ONES * ' ';
    private static final long ZEROS = ONES * '0';
    private static final long SIXES = ONES * 6;
    private static final long HIGH_NIBBLES = 0xF0F0F0F0F0F0F0F0L;

    /** For each byte: whether it stands for itself inside a JSON string (printable ASCII). */
    private static final boolean[] PLAIN = new boolean[256];

    static {
        for (int b = 0x20; b < 0x80; b++) {
            PLAIN[b] = b != '"' && b != '\\';
        }
    }

    private JsonBytes() {}

    /**
     * The first index from {@code j} on whose byte does not stand for itself in a string (a quote,
     * a backslash, a control character or a non-ASCII byte), or {@code end}. A word at a time: a
     * marked byte gets its high bit set in {@code special}; a borrow can mark bytes after the first
     * marked one, never before it, so the lowest mark is exact.
     */
    static int plain(byte[] in, int j, int end) {
        while (j + Long.BYTES <= end) {
            long word = (long) WORD.get(in, j);
            long quote = word ^ QUOTES;
            long backslash = word ^ BACKSLASHES;
            long special =
                    (((quote - ONES) & ~quote)
                                    | ((backslash - ONES) & ~backslash)
                                    | (word - SPACES) // below 0x20, or borrowed
                                    | word) // 0x80 and above
                            & HIGHS;
            if (special != 0) {
                return j + (Long.numberOfTrailingZeros(special) >>> 3);
            }
            j += Long.BYTES;
        }
        while (j < end && PLAIN[in[j] & 0xFF]) {
            j++;
        }
        return j;
    }

    /** The number of ASCII digits from {@code i} on, a word at a time. */
    static int digits(byte[] in, int i, int end) {
        int j = i;
        while (j + Long.BYTES <= end) {
            long word = (long) WORD.get(in, j);
            // A digit is 0x30-0x39: its high nibble is 3 before and after adding 6. Adding 6 to a
            // byte above 0xF9 carries into the next one, which comes after a non-digit anyway.
            long other =
                    ((word & HIGH_NIBBLES) ^ ZEROS) | (((word + SIXES) & HIGH_NIBBLES) ^ ZEROS);
            long marks = (((other & LOWS) + LOWS) | other) & HIGHS; // high bit of non-zero bytes
            if (marks != 0) {
                return j + (Long.numberOfTrailingZeros(marks) >>> 3) - i;
            }
            j += Long.BYTES;
        }
        while (j < end && in[j] >= '0' && in[j] <= '9') {
            j++;
        }
        return j - i;
    }

    /** The escape after a backslash, starting at {@code i}; returns the index after it. */
    static int escape(byte[] in, int i, int end) {
        if (i >= end) {
            return GIVE_UP;
        }
        switch (in[i]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return i + 1;
            }
            case 'u' -> {
                if (i + 4 >= end) {
                    return GIVE_UP;
                }
                for (int k = i + 1; k <= i + 4; k++) {
                    if (Character.digit(in[k], 16) < 0) {
                        return GIVE_UP;
                    }
                }
                return i + 5;
            }
            default -> {
                return GIVE_UP;
            }
        }
    }

    /**
     * The well-formed UTF-8 sequence at {@code i}, led by {@code lead}: no overlong form, no
     * surrogate, nothing above U+10FFFF. Returns the index after it.
     */
    static int utf8(byte[] in, int i, int lead, int end) {
        int length;
        int min = 0x80;
        int max = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0) {
                min = 0xA0; // shorter forms are overlong
            } else if (lead == 0xED) {
                max = 0x9F; // above are the surrogates
            }
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0) {
                min = 0x90;
            } else if (lead == 0xF4) {
                max = 0x8F; // above is beyond U+10FFFF
            }
        } else {
            return GIVE_UP;
        }
        if (i + length > end) {
            return GIVE_UP;
        }
        int second = in[i + 1] & 0xFF;
        if (second < min || second > max) {
            return GIVE_UP;
        }
        for (int k = i + 2; k < i + length; k++) {
            if ((in[k] & 0xC0) != 0x80) {
                return GIVE_UP;
            }
        }
        return i + length;
    }
}
