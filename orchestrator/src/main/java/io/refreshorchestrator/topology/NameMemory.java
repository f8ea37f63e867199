package io.refreshorchestrator.topology;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The last name read for one field of a change event, as bytes and as a string: the rows of one
 * table share their schema and table names instead of each allocating them again. Not thread-safe.
 */
final class NameMemory {

    private byte[] bytes = new byte[0];
    private String name;

    /** The name between {@code start} and {@code end} (exclusive), UTF-8 when {@code nonAscii}. */
    String name(byte[] in, int start, int end, boolean nonAscii) {
        if (name != null && same(in, start, end)) {
            return name;
        }
        bytes = Arrays.copyOfRange(in, start, end);
        name = new String(bytes, nonAscii ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return name;
    }

    /** A loop, not Arrays.equals: for a few bytes its setup costs more than the compare. */
    private boolean same(byte[] in, int start, int end) {
        if (end - start != bytes.length) {
            return false;
        }
        for (int k = 0; k < bytes.length; k++) {
            if (in[start + k] != bytes[k]) {
                return false;
            }
        }
        return true;
    }
}
