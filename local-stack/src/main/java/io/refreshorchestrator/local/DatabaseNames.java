package io.refreshorchestrator.local;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes unique, readable database names from a prefix such as a test class name, so that tests
 * sharing one server each get their own database.
 */
final class DatabaseNames {

    private static final int MAX_PREFIX_LENGTH = 40;
    private static final AtomicLong COUNTER = new AtomicLong();

    private DatabaseNames() {}

    /**
     * Returns {@code prefix_N_xxxxxx}: the prefix lower-cased with anything but letters, digits and
     * underscores replaced, a counter and a random suffix; never more than 63 bytes and never
     * needing quotes in SQL.
     */
    static String unique(String prefix) {
        return sanitize(prefix)
                + "_"
                + COUNTER.incrementAndGet()
                + "_"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
    }

    static String sanitize(String prefix) {
        String name =
                prefix == null ? "" : prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (name.isEmpty() || !Character.isLetter(name.charAt(0)) && name.charAt(0) != '_') {
            name = "db" + name;
        }
        return name.length() > MAX_PREFIX_LENGTH ? name.substring(0, MAX_PREFIX_LENGTH) : name;
    }
}
