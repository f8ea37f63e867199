package io.refreshorchestrator.discovery;

import io.refreshorchestrator.discovery.CatalogSnapshot.Kind;
import io.refreshorchestrator.discovery.CatalogSnapshot.Relation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the job graph from the configuration's declarations and a catalog snapshot: every
 * discovered or configured materialized view becomes a job whose sources are the tables its query
 * reads (through plain views, partitions reported as their partitioned root) plus the configured
 * extra sources, and whose upstream jobs are the materialized views it reads. Pure: no database.
 */
public final class JobGraphBuilder {

    private JobGraphBuilder() {}

    /**
     * @throws DiscoveryException listing every configured name the catalog does not know
     */
    public static DiscoveredGraph build(CatalogSnapshot catalog, JobDeclarations declarations) {
        var byName = catalog.byName();
        var problems = new ArrayList<String>();
        Map<String, JobSpec> specs = new LinkedHashMap<>();
        Map<String, Relation> views = new TreeMap<>();
        Set<String> configured = new HashSet<>();

        for (DeclaredJob declared : declarations.declared()) {
            JobSpec spec = declared.spec();
            configured.add(spec.name());
            if (spec.action() instanceof JobAction.RefreshView refresh) {
                var view = lookup(byName, refresh.view(), Kind.MATERIALIZED_VIEW);
                checkSources(declared, byName, problems);
                if (view.problem() != null) {
                    problems.add(declared.path() + ".view: " + view.problem());
                    continue;
                }
                views.put(spec.name(), view.relation());
            }
            specs.put(spec.name(), spec);
        }
        for (Relation relation : catalog.all()) {
            if (relation.kind() == Kind.MATERIALIZED_VIEW
                    && declarations.discovery().selects(relation.name())
                    && !specs.containsKey(relation.name().toString())) {
                var spec = JobSpec.refresh(relation.name(), Set.of(), declarations.defaults());
                specs.put(spec.name(), spec);
                views.put(spec.name(), relation);
            }
        }
        if (specs.isEmpty() && problems.isEmpty()) {
            problems.add(
                    declarations.discovery().enabled()
                            ? "discovery.schemas: no materialized view found in "
                                    + declarations.discovery().schemas()
                                    + " (after include/exclude), and no job is configured"
                            : "jobs: no job configured; list views under jobs or set"
                                    + " discovery.schemas");
        }
        if (!problems.isEmpty()) {
            throw new DiscoveryException(problems);
        }

        List<JobSpec> jobs = new ArrayList<>();
        Map<String, JobNotes> notes = new TreeMap<>();
        List<String> warnings = new ArrayList<>();
        for (JobSpec spec : specs.values()) {
            Relation view = views.get(spec.name());
            if (view == null) {
                jobs.add(spec);
                notes.put(spec.name(), JobNotes.none(true, spec.sources()));
                continue;
            }
            var reads = Reads.of(catalog, view);
            var upstream = new TreeSet<String>();
            var unmanaged = new TreeSet<RelationName>();
            for (RelationName matview : reads.matviews) {
                if (specs.containsKey(matview.toString())) {
                    upstream.add(matview.toString());
                } else {
                    unmanaged.add(matview);
                }
            }
            var sources = new TreeSet<>(reads.tables);
            sources.addAll(spec.sources());
            jobs.add(
                    new JobSpec(
                            spec.name(),
                            spec.action(),
                            sources,
                            upstream,
                            spec.policy(),
                            spec.schedule()));
            var jobNotes =
                    new JobNotes(
                            reads.tables,
                            new TreeSet<>(spec.sources()),
                            reads.foreign,
                            reads.functions,
                            unmanaged,
                            configured.contains(spec.name()));
            notes.put(spec.name(), jobNotes);
            warnings.addAll(warnings(spec, jobNotes));
        }
        return new DiscoveredGraph(JobGraph.of(jobs), notes, warnings);
    }

    private static List<String> warnings(JobSpec spec, JobNotes notes) {
        var warnings = new ArrayList<String>();
        if (!notes.foreignSources().isEmpty() && spec.schedule().isEmpty()) {
            warnings.add(
                    "job "
                            + spec.name()
                            + " reads foreign table(s) "
                            + notes.foreignSources()
                            + ": their changes cannot be captured (logical decoding sees only"
                            + " local tables); give the job a schedule to cover them");
        }
        if (!notes.functions().isEmpty() && notes.configuredSources().isEmpty()) {
            warnings.add(
                    "job "
                            + spec.name()
                            + " calls "
                            + notes.functions()
                            + ": tables read inside functions are invisible to the catalog;"
                            + " list them under the job's sources:");
        }
        if (!notes.unmanagedUpstream().isEmpty()) {
            warnings.add(
                    "job "
                            + spec.name()
                            + " reads materialized view(s) "
                            + notes.unmanagedUpstream()
                            + " that are not jobs: nothing here refreshes them");
        }
        return warnings;
    }

    private static void checkSources(
            DeclaredJob declared, Map<RelationName, Relation> byName, List<String> problems) {
        for (RelationName source : new TreeSet<>(declared.spec().sources())) {
            var table = lookup(byName, source, Kind.TABLE);
            if (table.problem() != null) {
                problems.add(declared.path() + ".sources: " + table.problem());
            }
        }
    }

    private record Lookup(Relation relation, String problem) {}

    private static Lookup lookup(
            Map<RelationName, Relation> byName, RelationName name, Kind wanted) {
        Relation relation = byName.get(name);
        String what = wanted == Kind.MATERIALIZED_VIEW ? "materialized view" : "table";
        if (relation == null) {
            return new Lookup(
                    null,
                    "no "
                            + what
                            + " named "
                            + name
                            + " in the database (names are exact and case-sensitive:"
                            + " schema.name as stored in the catalog)");
        }
        boolean fits =
                wanted == Kind.MATERIALIZED_VIEW
                        ? relation.kind() == Kind.MATERIALIZED_VIEW
                        : relation.kind() == Kind.TABLE
                                || relation.kind() == Kind.PARTITIONED_TABLE;
        if (!fits) {
            String extra =
                    relation.kind() == Kind.FOREIGN_TABLE
                            ? " (its changes cannot be captured: give the job a schedule instead)"
                            : "";
            return new Lookup(
                    null, name + " is " + relation.kind().describe() + ", not a " + what + extra);
        }
        return new Lookup(relation, null);
    }

    /** What one materialized view's query reads, followed through plain views. */
    private static final class Reads {
        final TreeSet<RelationName> tables = new TreeSet<>();
        final TreeSet<RelationName> matviews = new TreeSet<>();
        final TreeSet<RelationName> foreign = new TreeSet<>();
        final TreeSet<String> functions = new TreeSet<>();

        static Reads of(CatalogSnapshot catalog, Relation view) {
            var reads = new Reads();
            var seen = new HashSet<Long>();
            var queue = new ArrayDeque<Long>();
            seen.add(view.oid());
            reads.functions.addAll(catalog.functionsOf(view.oid()));
            queue.addAll(catalog.referencesOf(view.oid()));
            while (!queue.isEmpty()) {
                long oid = queue.poll();
                Relation relation = catalog.relations().get(oid);
                if (relation == null || !seen.add(oid)) {
                    continue;
                }
                switch (relation.kind()) {
                    case TABLE, PARTITIONED_TABLE ->
                            reads.tables.add(catalog.partitionRoot(relation).name());
                    case MATERIALIZED_VIEW -> reads.matviews.add(relation.name());
                    case FOREIGN_TABLE -> reads.foreign.add(relation.name());
                    case VIEW -> {
                        reads.functions.addAll(catalog.functionsOf(oid));
                        queue.addAll(catalog.referencesOf(oid));
                    }
                }
            }
            return reads;
        }
    }
}
