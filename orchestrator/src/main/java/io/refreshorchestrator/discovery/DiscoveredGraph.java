package io.refreshorchestrator.discovery;

import java.util.List;
import java.util.Map;

/**
 * The job graph read from the catalog, with what discovery noticed along the way.
 *
 * @param notes per job name
 * @param warnings things an operator should fix or know (a foreign source without schedule, ...)
 */
public record DiscoveredGraph(JobGraph graph, Map<String, JobNotes> notes, List<String> warnings) {

    public DiscoveredGraph {
        notes = Map.copyOf(notes);
        warnings = List.copyOf(warnings);
    }
}
