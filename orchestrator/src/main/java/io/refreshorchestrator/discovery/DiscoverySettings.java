package io.refreshorchestrator.discovery;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which materialized views become jobs without being listed: every one in {@code schemas} whose
 * {@code schema.view} name matches an {@code include} pattern (all when none is given) and no
 * {@code exclude} pattern. Patterns are globs over the exact catalog names: {@code *} any run of
 * characters, {@code ?} one character, e.g. {@code analytics.tmp_*}.
 */
public record DiscoverySettings(List<String> schemas, List<String> include, List<String> exclude) {

    /** No discovery: only the views listed under {@code jobs} are jobs. */
    public static final DiscoverySettings NONE =
            new DiscoverySettings(List.of(), List.of(), List.of());

    public DiscoverySettings {
        schemas = List.copyOf(schemas);
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    public boolean enabled() {
        return !schemas.isEmpty();
    }

    /** Whether {@code view} is discovered as a job. */
    public boolean selects(RelationName view) {
        if (!schemas.contains(view.schema())) {
            return false;
        }
        String name = view.toString();
        boolean included = include.isEmpty() || include.stream().anyMatch(g -> glob(g, name));
        return included && exclude.stream().noneMatch(g -> glob(g, name));
    }

    /** Why {@code pattern} is not a usable glob, or null when it is. */
    public static String patternProblem(String pattern) {
        return pattern.indexOf('.') <= 0
                ? "'" + pattern + "' must be schema.view, e.g. analytics.tmp_*"
                : null;
    }

    static boolean glob(String pattern, String name) {
        var regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(name).matches();
    }
}
