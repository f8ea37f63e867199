package io.refreshorchestrator.cdc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What change capture left in the database: its replication slot and its publication, as found by
 * {@link CaptureTeardown#inspect}.
 */
public record CaptureFootprint(Optional<Slot> slot, Optional<Publication> publication) {

    /**
     * The replication slot.
     *
     * @param activePid the PostgreSQL process streaming from it, null when inactive
     * @param retainedWal the WAL it holds back, e.g. {@code 1234 MB}; null when unknown
     */
    public record Slot(
            String name, String database, String plugin, Integer activePid, String retainedWal) {

        public boolean active() {
            return activePid != null;
        }
    }

    /** The publication and the tables it lists. */
    public record Publication(String name, List<String> tables) {
        public Publication {
            tables = List.copyOf(tables);
        }
    }

    /** Whether nothing is left to drop. */
    public boolean isEmpty() {
        return slot.isEmpty() && publication.isEmpty();
    }

    /** One line per object to drop, for operators. */
    public List<String> describe() {
        var lines = new ArrayList<String>();
        slot.ifPresent(
                s ->
                        lines.add(
                                "replication slot '"
                                        + s.name()
                                        + "' (database "
                                        + s.database()
                                        + (s.retainedWal() == null
                                                ? ""
                                                : ", holding " + s.retainedWal() + " of WAL")
                                        + (s.active() ? ", ACTIVE: pid " + s.activePid() : "")
                                        + ")"));
        publication.ifPresent(
                p ->
                        lines.add(
                                "publication '"
                                        + p.name()
                                        + "' ("
                                        + (p.tables().isEmpty()
                                                ? "no tables"
                                                : String.join(", ", p.tables()))
                                        + ")"));
        return lines;
    }
}
