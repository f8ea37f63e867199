package io.refreshorchestrator.api;

import io.refreshorchestrator.discovery.DiscoveredGraph;
import java.io.PrintWriter;
import java.util.List;

/** The human-readable form of {@code plan}. */
final class PlanText {

    private PlanText() {}

    static void print(PrintWriter out, DiscoveredGraph discovered, List<PlanEntry> entries) {
        var tables = discovered.graph().sourceTables();
        out.printf(
                "%d job(s) in dependency order; change capture covers %d table(s): %s%n",
                entries.size(), tables.size(), tables);
        for (PlanEntry entry : entries) {
            out.println();
            out.printf("%d. %s (%s)%n", entry.order(), entry.job(), entry.kind());
            line(out, "sources", sources(entry));
            if (!entry.uncapturableSources().isEmpty()) {
                line(
                        out,
                        "uncapturable",
                        String.join(", ", entry.uncapturableSources())
                                + " (foreign tables: changes are not captured; needs a schedule)");
            }
            if (!entry.functions().isEmpty()) {
                line(
                        out,
                        "functions",
                        String.join(", ", entry.functions())
                                + " (tables they read belong under sources:)");
            }
            line(out, "upstream", list(entry.upstream()));
            if (!entry.unmanagedUpstream().isEmpty()) {
                line(
                        out,
                        "not jobs",
                        String.join(", ", entry.unmanagedUpstream())
                                + " (materialized views read but not refreshed here)");
            }
            line(out, "downstream", list(entry.downstream()));
            var policy = entry.policy();
            line(
                    out,
                    "policy",
                    "debounce "
                            + policy.debounce()
                            + ", max-delay "
                            + policy.maxDelay()
                            + ", timeout "
                            + policy.timeout()
                            + ", lock-timeout "
                            + policy.lockTimeout()
                            + policy.pacing()
                            + (entry.schedule() == null
                                    ? ""
                                    : ", schedule "
                                            + entry.schedule()
                                            + ", next fire "
                                            + entry.nextFire()));
            if (entry.mode() != null || entry.modeReason() != null) {
                line(out, "mode", entry.mode() + ": " + entry.modeReason());
            }
        }
        if (!discovered.warnings().isEmpty()) {
            out.println();
            out.println("Warnings:");
            discovered.warnings().forEach(warning -> out.println("  - " + warning));
        }
    }

    private static String sources(PlanEntry entry) {
        if (entry.sources().isEmpty()) {
            return "- (only through upstream jobs)";
        }
        var parts =
                entry.sources().stream()
                        .map(
                                table -> {
                                    var notes = new java.util.ArrayList<String>();
                                    if (entry.configuredSources().contains(table)) {
                                        notes.add("configured");
                                    }
                                    if (!entry.routedSources().contains(table)) {
                                        notes.add("via upstream cascade");
                                    }
                                    return notes.isEmpty()
                                            ? table
                                            : table + " (" + String.join(", ", notes) + ")";
                                })
                        .toList();
        return String.join(", ", parts);
    }

    private static String list(List<String> names) {
        return names.isEmpty() ? "-" : String.join(", ", names);
    }

    private static void line(PrintWriter out, String label, String value) {
        out.printf("   %-13s %s%n", label + ":", value);
    }
}
