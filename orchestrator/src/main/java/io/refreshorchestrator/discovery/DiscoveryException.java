package io.refreshorchestrator.discovery;

import java.util.List;

/**
 * The configured jobs do not match the catalog: carries every problem, each prefixed with the
 * configuration path it concerns ({@code jobs[2].view: ...}).
 */
public class DiscoveryException extends RuntimeException {

    private final List<String> problems;

    public DiscoveryException(List<String> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String describe(List<String> problems) {
        var text = new StringBuilder("The configured jobs do not match the database (");
        text.append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        problems.forEach(p -> text.append(System.lineSeparator()).append("  - ").append(p));
        return text.toString();
    }
}
