package io.refreshorchestrator.discovery;

import io.refreshorchestrator.discovery.CatalogSnapshot.Kind;
import io.refreshorchestrator.discovery.CatalogSnapshot.Relation;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds catalog snapshots by hand for the discovery tests. */
final class Catalogs {

    private final Map<Long, Relation> relations = new HashMap<>();
    private final Map<String, Long> oids = new HashMap<>();
    private final Map<Long, Set<Long>> references = new HashMap<>();
    private final Map<Long, Set<String>> functions = new HashMap<>();
    private final Map<Long, Long> parents = new HashMap<>();

    Catalogs add(String name, Kind kind, String... reads) {
        long oid = 1000 + relations.size();
        relations.put(oid, new Relation(oid, RelationName.parse(name), kind));
        oids.put(name, oid);
        for (String read : reads) {
            references.computeIfAbsent(oid, k -> new HashSet<>()).add(oids.get(read));
        }
        return this;
    }

    Catalogs table(String name) {
        return add(name, Kind.TABLE);
    }

    Catalogs matview(String name, String... reads) {
        return add(name, Kind.MATERIALIZED_VIEW, reads);
    }

    Catalogs view(String name, String... reads) {
        return add(name, Kind.VIEW, reads);
    }

    Catalogs partition(String name, String parent) {
        add(name, Kind.TABLE);
        parents.put(oids.get(name), oids.get(parent));
        return this;
    }

    Catalogs calls(String name, String function) {
        functions.computeIfAbsent(oids.get(name), k -> new HashSet<>()).add(function);
        return this;
    }

    CatalogSnapshot snapshot() {
        return new CatalogSnapshot(relations, references, functions, parents);
    }

    static JobDeclarations discover(String... schemas) {
        return new JobDeclarations(
                new DiscoverySettings(List.of(schemas), List.of(), List.of()),
                JobPolicy.DEFAULTS,
                List.of());
    }
}
