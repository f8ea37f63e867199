package io.refreshorchestrator.topology;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one downstream job waits for: the value of the {@code cascade-waits} store. While {@code
 * awaiting} is not empty, the cascaded changes of upstream jobs that already finished are {@code
 * held}; when the last one finishes (or its wait expires) they go to the debouncer together, so the
 * job refreshes once, after all of its upstream jobs due for the same changes.
 *
 * @param awaiting upstream job → when to stop waiting for it if it never reports
 * @param held cascaded changes not yet handed to the debouncer
 */
record CascadeWait(Map<String, Instant> awaiting, List<TableChange> held) {

    CascadeWait {
        awaiting = new TreeMap<>(awaiting);
        held = List.copyOf(held);
    }

    static CascadeWait none() {
        return new CascadeWait(Map.of(), List.of());
    }

    CascadeWait awaiting(String upstream, Instant until) {
        var next = new TreeMap<>(awaiting);
        next.merge(upstream, until, (a, b) -> a.isAfter(b) ? a : b);
        return new CascadeWait(next, held);
    }

    CascadeWait finished(String upstream, TableChange change) {
        var next = new TreeMap<>(awaiting);
        next.remove(upstream);
        if (change == null) {
            return new CascadeWait(next, held);
        }
        var more = new java.util.ArrayList<>(held);
        more.add(change);
        return new CascadeWait(next, more);
    }

    /** This wait without the upstream jobs whose wait expired at {@code now}. */
    CascadeWait expire(Instant now) {
        var next = new TreeMap<>(awaiting);
        next.values().removeIf(until -> !until.isAfter(now));
        return new CascadeWait(next, held);
    }

    boolean released() {
        return awaiting.isEmpty();
    }
}
