package io.refreshorchestrator.demo;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Supplier;

/** The demo's start-up lines: what starts, and how long it took. */
final class Progress {

    private final PrintWriter out;

    Progress(PrintWriter out) {
        this.out = out;
    }

    /** Runs {@code work}, saying what it starts before and how long it took after. */
    <T> T step(String what, Supplier<T> work) {
        out.println("  starting " + what + " ...");
        out.flush();
        long started = System.nanoTime();
        T result = work.get();
        out.println("  ready     " + what + " in " + seconds(System.nanoTime() - started));
        out.flush();
        return result;
    }

    /** One line of context. */
    void note(String text) {
        out.println("            " + text);
        out.flush();
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
