package io.refreshorchestrator.discovery;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What discovery learned about one view's job beyond its {@link JobSpec}, for {@code plan} and the
 * start-up log.
 *
 * @param catalogSources tables found in the catalog (through views, partitions as their root)
 * @param configuredSources tables the configuration added under {@code sources:}
 * @param foreignSources foreign tables it reads: logical decoding cannot capture their changes, so
 *     only a schedule (or a manual command) refreshes the view for them
 * @param functions user-defined functions its query calls: tables they read are invisible to the
 *     catalog and belong under {@code sources:}
 * @param unmanagedUpstream materialized views it reads that are not jobs (outside discovery):
 *     nothing here refreshes them, so their changes do not reach this view
 * @param configured whether the view is listed under {@code jobs}
 */
public record JobNotes(
        SortedSet<RelationName> catalogSources,
        SortedSet<RelationName> configuredSources,
        SortedSet<RelationName> foreignSources,
        SortedSet<String> functions,
        SortedSet<RelationName> unmanagedUpstream,
        boolean configured) {

    public JobNotes {
        catalogSources = new TreeSet<>(catalogSources);
        configuredSources = new TreeSet<>(configuredSources);
        foreignSources = new TreeSet<>(foreignSources);
        functions = new TreeSet<>(functions);
        unmanagedUpstream = new TreeSet<>(unmanagedUpstream);
    }

    /** Notes of a job discovery knows nothing about (SQL and HTTP jobs). */
    public static JobNotes none(boolean configured, Set<RelationName> configuredSources) {
        return new JobNotes(
                new TreeSet<>(),
                new TreeSet<>(configuredSources),
                new TreeSet<>(),
                new TreeSet<>(),
                new TreeSet<>(),
                configured);
    }
}
