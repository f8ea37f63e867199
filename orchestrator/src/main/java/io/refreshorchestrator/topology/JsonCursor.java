package io.refreshorchestrator.topology;

/**
 * Strict JSON (RFC 8259) over one value's UTF-8 bytes, checked by index for the {@link
 * EventScanner}: each method checks what starts at an index and returns the index after it, or
 * {@link #GIVE_UP} when the bytes there are not JSON it accepts. It accepts a subset of what
 * Jackson accepts (never more), so a caller that gives up can always leave the value to Jackson.
 *
 * <p>Not thread-safe; {@link #reset} before each value.
 */
final class JsonCursor {

    /** Not JSON this cursor accepts: malformed, or a form left to Jackson. */
    static final int GIVE_UP = -1;

    /** Deeper than any change event; Jackson's own limit is higher. */
    static final int MAX_DEPTH = 64;

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    /** Longer numbers are left to Jackson, which has its own limit. */
    private static final int MAX_NUMBER_LENGTH = 100;

    byte[] in;
    int end;

    /** Whether the string last checked by {@link #string} had an escape. */
    boolean escaped;

    /** Whether the string last checked by {@link #string} had a non-ASCII character. */
    boolean nonAscii;

    void reset(byte[] value) {
        in = value;
        end = value == null ? 0 : value.length;
    }

    /**
     * Skips the value at {@code i}, checking it; returns the index after it. One loop, with the
     * open containers as the bits of a long (1: object, 0: array) rather than a call per level: a
     * row image is mostly small values, and a call per value cost more than checking it.
     */
    int skip(int i) {
        byte[] in = this.in;
        int end = this.end;
        long objects = 0; // bit 0: whether the innermost open container is an object
        int depth = 0;
        while (true) {
            // A value starts at i.
            if (i >= end) {
                return GIVE_UP;
            }
            byte first = in[i];
            if (first == '{' || first == '[') {
                if (depth == MAX_DEPTH) {
                    return GIVE_UP;
                }
                boolean object = first == '{';
                objects = objects << 1 | (object ? 1 : 0);
                depth++;
                i = whitespace(i + 1);
                if (i >= end || in[i] != (object ? '}' : ']')) {
                    if (object) {
                        i = member(i);
                        if (i == GIVE_UP) {
                            return GIVE_UP;
                        }
                    }
                    continue; // the first member's value or the first element
                }
                objects >>>= 1; // empty
                depth--;
                i++;
            } else if (first == '"') {
                int close = string(i);
                if (close == GIVE_UP) {
                    return GIVE_UP;
                }
                i = close + 1;
            } else {
                i =
                        first == 't'
                                ? literal(i, TRUE)
                                : first == 'f' ? literal(i, FALSE) : nullOrNumber(i);
                if (i == GIVE_UP) {
                    return GIVE_UP;
                }
            }
            // After a value: close what it ends, or go on to the next member or element.
            while (true) {
                if (depth == 0) {
                    return i;
                }
                i = whitespace(i);
                if (i >= end) {
                    return GIVE_UP;
                }
                boolean object = (objects & 1) != 0;
                byte next = in[i];
                if (next == ',') {
                    i = whitespace(i + 1);
                    if (object) {
                        i = member(i);
                        if (i == GIVE_UP) {
                            return GIVE_UP;
                        }
                    }
                    break;
                }
                if (next != (object ? '}' : ']')) {
                    return GIVE_UP;
                }
                objects >>>= 1;
                depth--;
                i++;
            }
        }
    }

    /**
     * A member's name at {@code i} and its colon: returns where its value starts. Jackson decodes
     * every member name, and refuses some escapes there (a lone surrogate) that it lets pass in a
     * value it skips: names with escapes are left to it.
     */
    private int member(int i) {
        int close = string(i);
        if (close == GIVE_UP || escaped) {
            return GIVE_UP;
        }
        return colon(close + 1);
    }

    /** {@code null} or a number at {@code i}. */
    private int nullOrNumber(int i) {
        return in[i] == 'n' ? literal(i, NULL) : number(i);
    }

    /**
     * After a member or element that ended before {@code i}: a comma (returns where the next one
     * starts) or {@code close} (returns the index after it, so {@code in[result - 1] == close}).
     */
    int next(int i, char close) {
        if (i == GIVE_UP) {
            return GIVE_UP;
        }
        i = whitespace(i);
        if (i >= end) {
            return GIVE_UP;
        }
        if (in[i] == close) {
            return i + 1;
        }
        if (in[i] != ',') {
            return GIVE_UP;
        }
        i = whitespace(i + 1);
        // A member starts with its name; a trailing comma is malformed.
        if (i >= end || in[i] == close || (close == '}' && in[i] != '"')) {
            return GIVE_UP;
        }
        return i;
    }

    /** After a member name: the colon, then where the value starts. */
    int colon(int i) {
        i = whitespace(i);
        if (i >= end || in[i] != ':') {
            return GIVE_UP;
        }
        return whitespace(i + 1);
    }

    /**
     * The string whose opening quote is at {@code i}: returns the index of its closing quote, and
     * sets {@link #escaped} and {@link #nonAscii}.
     */
    int string(int i) {
        byte[] in = this.in;
        int end = this.end;
        if (i >= end || in[i] != '"') {
            return GIVE_UP;
        }
        escaped = false;
        nonAscii = false;
        int j = i + 1;
        while (true) {
            j = JsonBytes.plain(in, j, end);
            if (j >= end) {
                return GIVE_UP;
            }
            int b = in[j] & 0xFF;
            if (b == '"') {
                return j;
            } else if (b == '\\') {
                escaped = true;
                j = JsonBytes.escape(in, j + 1, end);
            } else if (b >= 0x80) {
                nonAscii = true;
                j = JsonBytes.utf8(in, j, b, end);
            } else {
                return GIVE_UP; // an unescaped control character
            }
            if (j == GIVE_UP) {
                return GIVE_UP;
            }
        }
    }

    /** A number as JSON writes it: no leading zero, no bare dot, no NaN. */
    private int number(int i) {
        int j = i;
        if (in[j] == '-') {
            j++;
        }
        int digits = digits(j);
        if (digits == 0 || (digits > 1 && in[j] == '0')) {
            return GIVE_UP;
        }
        j += digits;
        if (j < end && in[j] == '.') {
            int fraction = digits(j + 1);
            if (fraction == 0) {
                return GIVE_UP;
            }
            j += 1 + fraction;
        }
        if (j < end && (in[j] == 'e' || in[j] == 'E')) {
            j++;
            if (j < end && (in[j] == '+' || in[j] == '-')) {
                j++;
            }
            int exponent = digits(j);
            if (exponent == 0) {
                return GIVE_UP;
            }
            j += exponent;
        }
        return j - i > MAX_NUMBER_LENGTH ? GIVE_UP : j;
    }

    int digits(int i) {
        return JsonBytes.digits(in, i, end);
    }

    private int literal(int i, byte[] word) {
        if (i + word.length > end) {
            return GIVE_UP;
        }
        for (int k = 0; k < word.length; k++) {
            if (in[i + k] != word[k]) {
                return GIVE_UP;
            }
        }
        return i + word.length;
    }

    int whitespace(int i) {
        byte[] in = this.in;
        int end = this.end;
        while (i < end && in[i] <= ' ') {
            byte b = in[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return i;
            }
            i++;
        }
        return i;
    }
}
